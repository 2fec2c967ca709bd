package main

import (
	"context"
	"debug/buildinfo"
	"debug/elf"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// dockerfile is what TestDockerfileBuild reads from the Dockerfile: the
// final stage's instructions and the build stage's go build command.
type dockerfile struct {
	buildImage string   // the first FROM's image
	buildEnv   []string // KEY=VALUE before "go build"
	buildArgs  []string // the arguments after "go"
	output     string   // the path after -o, in the build stage
	workdir    string   // the build stage's WORKDIR (the source tree)
	copies     [][2]string
	user       string
	env        map[string]string
	entrypoint []string
	cmd        []string
	health     []string
}

// parseDockerfile reads the instructions this project's Dockerfile uses.
// Continuation lines are joined; exec-form (JSON) arrays are required for
// ENTRYPOINT, CMD and HEALTHCHECK CMD, since the image has no shell.
func parseDockerfile(t *testing.T, text string) dockerfile {
	t.Helper()
	d := dockerfile{env: map[string]string{}}
	text = strings.ReplaceAll(text, "\\\n", " ")
	stage := 0
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		instr, rest, _ := strings.Cut(line, " ")
		rest = strings.TrimSpace(rest)
		final := stage >= 2
		switch strings.ToUpper(instr) {
		case "FROM":
			stage++
			if stage == 1 {
				d.buildImage = strings.Fields(rest)[0]
			}
		case "WORKDIR":
			if !final {
				d.workdir = rest
			}
		case "RUN":
			if !strings.Contains(rest, "go build") {
				continue
			}
			words := shellWords(t, rest)
			i := 0
			for ; i < len(words) && strings.Contains(words[i], "=") && words[i] != "go"; i++ {
				d.buildEnv = append(d.buildEnv, words[i])
			}
			if i+1 >= len(words) || words[i] != "go" || words[i+1] != "build" {
				t.Fatalf("Dockerfile: the build line must be [ENV=VALUE...] go build ...: %q", rest)
			}
			d.buildArgs = words[i+1:]
			for j, w := range d.buildArgs {
				if w == "-o" && j+1 < len(d.buildArgs) {
					d.output = d.buildArgs[j+1]
				}
			}
		case "COPY":
			f := strings.Fields(rest)
			if final && len(f) == 3 && f[0] == "--from=build" {
				d.copies = append(d.copies, [2]string{f[1], f[2]})
			}
		case "USER":
			if final {
				d.user = rest
			}
		case "ENV":
			if final {
				k, v, _ := strings.Cut(rest, "=")
				d.env[k] = v
			}
		case "ENTRYPOINT":
			d.entrypoint = execForm(t, rest)
		case "CMD":
			d.cmd = execForm(t, rest)
		case "HEALTHCHECK":
			_, cmd, ok := strings.Cut(rest, "CMD ")
			if !ok {
				t.Fatalf("Dockerfile: HEALTHCHECK without CMD: %q", rest)
			}
			d.health = execForm(t, cmd)
		}
	}
	if stage < 2 {
		t.Fatalf("Dockerfile: want a multi-stage build, found %d stage(s)", stage)
	}
	return d
}

func execForm(t *testing.T, s string) []string {
	t.Helper()
	var argv []string
	if err := json.Unmarshal([]byte(strings.TrimSpace(s)), &argv); err != nil || len(argv) == 0 {
		t.Fatalf("Dockerfile: %q is not an exec-form (JSON) array: %v", s, err)
	}
	return argv
}

// shellWords splits a command line as sh would for the simple quoting the
// Dockerfile's build line uses ("..." and '...', no expansions).
func shellWords(t *testing.T, s string) []string {
	t.Helper()
	var words []string
	var cur strings.Builder
	inWord := false
	var quote rune
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '"' || r == '\'':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case strings.ContainsRune("$`\\;&|<>", r):
			t.Fatalf("Dockerfile: the build line uses %q, which this test does not interpret: %q", r, s)
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		t.Fatalf("Dockerfile: unbalanced quote in %q", s)
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// TestDockerfileBuild builds the binary exactly as the Dockerfile does
// (its RUN line parsed, so the two cannot drift), checks that it is static
// and that its build info records the Dockerfile's flags, runs --version,
// then runs the image's command and HEALTHCHECK against it with the image's
// paths mapped to this checkout: the check passes while the server is up
// and fails once it is gone. `docker build` itself cannot run here.
func TestDockerfileBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the Dockerfile build (a full static build)")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command on PATH to build with: %v", err)
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	text, err := os.ReadFile(filepath.Join(root, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	d := parseDockerfile(t, string(text))
	if !slices.Contains(d.buildEnv, "CGO_ENABLED=0") || !slices.Contains(d.buildArgs, "-trimpath") || d.output == "" {
		t.Fatalf("Dockerfile: the build needs CGO_ENABLED=0, -trimpath and -o: env %q args %q", d.buildEnv, d.buildArgs)
	}
	// The build image's Go must be the release go.mod asks for (the
	// official images set GOTOOLCHAIN=local, so an older one fails).
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	goLine := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(gomod)
	if goLine == nil || !strings.HasPrefix(d.buildImage, "golang:"+string(goLine[1])) {
		t.Fatalf("Dockerfile: build image %q does not match go.mod's go %s", d.buildImage, goLine)
	}
	if u, _, _ := strings.Cut(d.user, ":"); u == "" || u == "root" || u == "0" {
		t.Fatalf("Dockerfile: the final stage runs as %q; want a non-root USER", d.user)
	}

	bin := filepath.Join(t.TempDir(), "golua-ws")
	args := append([]string(nil), d.buildArgs...)
	for i := range args {
		if i > 0 && args[i-1] == "-o" {
			args[i] = bin
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	build := exec.CommandContext(ctx, goTool, args...)
	build.Dir = root
	// The golang image sets no GOFLAGS; a developer's go env file may (this
	// project's machines set -buildvcs=false there), and an empty variable
	// does not override the file, so VCS stamping is set back to its default.
	build.Env = append(append(os.Environ(), "GOFLAGS=-buildvcs=auto"), d.buildEnv...)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}

	// Static: no program interpreter and no shared libraries.
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("the binary has a PT_INTERP program header: it is dynamically linked")
		}
	}
	if libs, err := f.ImportedLibraries(); err != nil || len(libs) > 0 {
		t.Errorf("the binary needs shared libraries %q (%v)", libs, err)
	}
	f.Close()
	info, err := buildinfo.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	if settings["CGO_ENABLED"] != "0" || settings["-trimpath"] != "true" {
		t.Errorf("build info: CGO_ENABLED=%q -trimpath=%q; want 0 and true", settings["CGO_ENABLED"], settings["-trimpath"])
	}

	out, err := exec.Command(bin, "--version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "golua-ws ") {
		t.Fatalf("--version: %v: %q", err, out)
	}
	// The go command stamps the revision of a clone (.git a directory, as
	// in the image's build context); it does not recognise a git worktree,
	// whose .git is a file.
	if fi, err := os.Stat(filepath.Join(root, ".git")); err == nil && fi.IsDir() {
		head, err := exec.Command("git", "-C", root, "rev-parse", "HEAD").Output()
		if rev := strings.TrimSpace(string(head)); err == nil && !strings.Contains(string(out), rev) {
			t.Errorf("--version %q does not name the checkout's revision %s", out, rev)
		}
	} else {
		t.Logf("%s/.git is not a directory (a worktree?): the revision is not stamped, not checked", root)
	}
	t.Logf("--version: %s", out)

	// The image's command and health check, on a free port.
	mapPath := func(p string) string {
		if p == d.output {
			return bin
		}
		for _, c := range d.copies {
			if p == c[1] || strings.HasPrefix(p, c[1]+"/") {
				src := c[0] + strings.TrimPrefix(p, c[1])
				if src == d.output {
					return bin
				}
				if rel, ok := strings.CutPrefix(src, strings.TrimSuffix(d.workdir, "/")+"/"); ok {
					return filepath.Join(root, rel)
				}
			}
		}
		return p
	}
	argv := append(append([]string(nil), d.entrypoint...), d.cmd...)
	for i := range argv {
		argv[i] = mapPath(argv[i])
	}
	if argv[0] != bin {
		t.Fatalf("the image's ENTRYPOINT %q is not the built binary", d.entrypoint)
	}
	imagePort := d.env["PORT"]
	if imagePort == "" || !strings.Contains(strings.Join(d.health, " "), ":"+imagePort+"/") {
		t.Fatalf("Dockerfile: HEALTHCHECK %q does not check the server's port (ENV PORT=%q)", d.health, imagePort)
	}
	port := freePort(t)
	srv := exec.Command(argv[0], argv[1:]...)
	srv.Env = append(os.Environ(), "PORT="+strconv.Itoa(port))
	var srvOut strings.Builder
	srv.Stdout, srv.Stderr = &srvOut, &srvOut
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			_ = srv.Process.Kill()
			_ = srv.Wait()
		}
	}
	defer stop()
	health := make([]string, len(d.health))
	for i, a := range d.health {
		health[i] = strings.ReplaceAll(mapPath(a), ":"+imagePort+"/", fmt.Sprintf(":%d/", port))
	}
	check := func() (string, error) {
		out, err := exec.Command(health[0], health[1:]...).CombinedOutput()
		return string(out), err
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		out, err := check()
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("HEALTHCHECK %q never passed: %v %s\nserver output:\n%s", health, err, out, srvOut.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	stop()
	if out, err := check(); err == nil {
		t.Fatalf("HEALTHCHECK passed with the server stopped: %s", out)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
