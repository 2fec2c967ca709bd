// Package specrun runs Lua spec scripts with the real golua-ws command, for
// the Go tests under spec/. It builds the command once per test binary, runs
// a script with a bounded time, and on failure names the script and the line
// of the first failed assertion, so a red test points straight at the Lua
// source.
package specrun

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	goruntime "runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/internal/syncbuf"
)

// Options tunes one script run.
type Options struct {
	// Args are passed to the script after its name.
	Args []string
	// Env is added to the command's environment.
	Env []string
	// Dir is the working directory (default: the script's directory).
	Dir string
	// Timeout bounds the run (default 60 s). A script still running then
	// is killed and the test fails.
	Timeout time.Duration
	// WantExit is the expected exit code (default 0).
	WantExit int
	// Flags go to the command before the script name (e.g. "--fatal-errors").
	Flags []string
}

// Result is what a finished script printed and how it ended.
type Result struct {
	Stdout, Stderr string
	ExitCode       int
}

type builder struct {
	once sync.Once
	path string
	err  error
}

// The built binaries are cached per test process: building one is the slow
// part of every spec test, and the command under test does not change while
// the process runs. sync.Once makes these the one piece of package state,
// set once and never mutated after: builds[0] is built like the tests (with
// -race under -race), builds[1] always without the race detector.
var builds [2]builder

// Binary builds cmd/golua-ws (once per test process) and returns its path.
// Under `go test -race` the command is built with -race too, so data races
// inside scripts' bindings are caught.
func Binary(t testing.TB) string {
	t.Helper()
	return builds[0].get(t, raceEnabled)
}

// PlainBinary is Binary built without the race detector, for tests that
// measure the process (its RSS: the race detector's shadow memory is never
// returned to the OS).
func PlainBinary(t testing.TB) string {
	t.Helper()
	return builds[1].get(t, false)
}

func (b *builder) get(t testing.TB, race bool) string {
	t.Helper()
	b.once.Do(func() {
		root, err := moduleRoot()
		if err != nil {
			b.err = err
			return
		}
		dir, err := os.MkdirTemp("", "golua-ws-spec-")
		if err != nil {
			b.err = err
			return
		}
		out := filepath.Join(dir, "golua-ws")
		args := []string{"build", "-o", out}
		if race {
			args = append(args, "-race")
		}
		args = append(args, "./cmd/golua-ws")
		cmd := exec.Command("go", args...)
		cmd.Dir = root
		if msg, err := cmd.CombinedOutput(); err != nil {
			b.err = fmt.Errorf("building golua-ws: %v\n%s", err, msg)
			return
		}
		b.path = out
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.path
}

func moduleRoot() (string, error) {
	_, file, _, ok := goruntime.Caller(0)
	if !ok {
		return "", fmt.Errorf("specrun: cannot locate the module root")
	}
	return filepath.Abs(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Root returns the repository root (where go.mod is).
func Root(t testing.TB) string {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func (o *Options) command(t testing.TB, ctx context.Context, script string) *exec.Cmd {
	args := append(append([]string{}, o.Flags...), script)
	args = append(args, o.Args...)
	cmd := exec.CommandContext(ctx, Binary(t), args...)
	cmd.Dir = o.Dir
	if cmd.Dir == "" {
		cmd.Dir = filepath.Dir(script)
	}
	cmd.Env = append(os.Environ(), o.Env...)
	cmd.WaitDelay = 2 * time.Second
	return cmd
}

// Run runs script (a path; relative paths are taken from the test's working
// directory) to completion and fails t if it does not exit with
// opts.WantExit, naming the first script line reported in its error output.
func Run(t *testing.T, script string, opts Options) Result {
	t.Helper()
	script, _ = filepath.Abs(script)
	if opts.Timeout == 0 {
		opts.Timeout = 60 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), opts.Timeout)
	defer cancel()
	cmd := opts.command(t, ctx, script)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := Result{Stdout: stdout.String(), Stderr: stderr.String(), ExitCode: cmd.ProcessState.ExitCode()}
	if ctx.Err() != nil {
		t.Fatalf("%s: still running after %v (killed)\nstdout:\n%s\nstderr:\n%s",
			filepath.Base(script), opts.Timeout, res.Stdout, res.Stderr)
	}
	if err != nil && res.ExitCode < 0 {
		t.Fatalf("%s: %v", filepath.Base(script), err)
	}
	if res.ExitCode != opts.WantExit {
		t.Fatalf("%s: exit code %d, want %d\n%s\nstdout:\n%s\nstderr:\n%s",
			filepath.Base(script), res.ExitCode, opts.WantExit,
			FailureLine(script, res.Stderr+res.Stdout), res.Stdout, res.Stderr)
	}
	return res
}

var locRE = regexp.MustCompile(`([^\s:'"\[\]]+\.lua):(\d+):`)

// FailureLine finds the first "file.lua:LINE:" in output that belongs to
// script (or, failing that, any Lua location) and describes it.
func FailureLine(script, output string) string {
	base := filepath.Base(script)
	var first string
	for _, m := range locRE.FindAllStringSubmatch(output, -1) {
		if first == "" {
			first = m[1] + ":" + m[2]
		}
		if filepath.Base(m[1]) == base {
			return "first failure at " + base + ":" + m[2]
		}
	}
	if first != "" {
		return "first failure at " + first
	}
	return "no Lua location in the output"
}

// Process is a script running in the background (a server under test).
type Process struct {
	t      testing.TB
	cmd    *exec.Cmd
	cancel context.CancelFunc
	stdout *syncbuf.Buffer
	stderr *syncbuf.Buffer
	done   chan struct{}
	err    error
}

// Start runs script in the background. It is killed when the test ends (or
// after opts.Timeout, default 5 minutes). Use WaitForOutput or WaitForPort to
// know when it is ready.
func Start(t testing.TB, script string, opts Options) *Process {
	t.Helper()
	script, _ = filepath.Abs(script)
	if opts.Timeout == 0 {
		opts.Timeout = 5 * time.Minute
	}
	ctx, cancel := context.WithTimeout(context.Background(), opts.Timeout)
	cmd := opts.command(t, ctx, script)
	p := &Process{t: t, cmd: cmd, cancel: cancel, stdout: &syncbuf.Buffer{}, stderr: &syncbuf.Buffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.stdout, p.stderr
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("starting %s: %v", script, err)
	}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(p.Stop)
	return p
}

// Stop interrupts the script (SIGINT, then kill after 3 s) and waits for it.
func (p *Process) Stop() {
	select {
	case <-p.done:
		p.cancel()
		return
	default:
	}
	_ = p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
	case <-time.After(3 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
	p.cancel()
}

// Wait waits for the script to exit by itself and returns its result.
func (p *Process) Wait(timeout time.Duration) (Result, error) {
	select {
	case <-p.done:
	case <-time.After(timeout):
		return p.result(), fmt.Errorf("still running after %v", timeout)
	}
	return p.result(), nil
}

func (p *Process) result() Result {
	code := -1
	if p.cmd.ProcessState != nil {
		code = p.cmd.ProcessState.ExitCode()
	}
	return Result{Stdout: p.stdout.String(), Stderr: p.stderr.String(), ExitCode: code}
}

// Output returns what the script printed so far.
func (p *Process) Output() (stdout, stderr string) { return p.stdout.String(), p.stderr.String() }

// Signal sends sig to the process.
func (p *Process) Signal(sig os.Signal) error { return p.cmd.Process.Signal(sig) }

// Done is closed once the process has exited.
func (p *Process) Done() <-chan struct{} { return p.done }

// ExitCode is the exit code of a process that has exited, else -1.
func (p *Process) ExitCode() int { return p.result().ExitCode }

// Pid returns the process id (for memory measurements).
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// WaitForOutput waits until the script's stdout or stderr contains substr.
func (p *Process) WaitForOutput(substr string, timeout time.Duration) {
	p.t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if strings.Contains(p.stdout.String(), substr) || strings.Contains(p.stderr.String(), substr) {
			return
		}
		select {
		case <-p.done:
			p.t.Fatalf("script exited before printing %q\nstdout:\n%s\nstderr:\n%s", substr, p.stdout, p.stderr)
		case <-time.After(20 * time.Millisecond):
		}
	}
	p.t.Fatalf("script did not print %q within %v\nstdout:\n%s\nstderr:\n%s", substr, timeout, p.stdout, p.stderr)
}

// WaitForPort waits until addr (host:port) accepts TCP connections.
func (p *Process) WaitForPort(addr string, timeout time.Duration) {
	p.t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return
		}
		select {
		case <-p.done:
			p.t.Fatalf("script exited before listening on %s\nstdout:\n%s\nstderr:\n%s", addr, p.stdout, p.stderr)
		case <-time.After(20 * time.Millisecond):
		}
	}
	p.t.Fatalf("nothing listening on %s after %v\nstdout:\n%s\nstderr:\n%s", addr, timeout, p.stdout, p.stderr)
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// LockPort serialises, across every test process of the suite, the tests
// that must use a fixed port (the seed examples hard-code 8080 and 8443):
// it takes an exclusive flock on a file named after the port for the rest of
// the test. go test runs packages in parallel, so without it the eco and
// silly seed tests would fight over the port.
func LockPort(t testing.TB, port int) {
	t.Helper()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("golua-ws-port-%d.lock", port))
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		t.Fatalf("open port lock: %v", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		t.Fatalf("flock port lock: %v", err)
	}
	t.Cleanup(func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	})
}

// RunToEnd runs script like Run (with a 30 s default timeout) and also
// fails unless its stdout contains marker — the line a spec script prints
// after its last assertion — so that a script which stops early without an
// error still fails.
func RunToEnd(t *testing.T, script string, opts Options, marker string) Result {
	t.Helper()
	if opts.Timeout == 0 {
		opts.Timeout = 30 * time.Second
	}
	res := Run(t, script, opts)
	if marker != "" && !strings.Contains(res.Stdout, marker) {
		t.Fatalf("%s: stdout lacks %q\nstdout:\n%s\nstderr:\n%s", script, marker, res.Stdout, res.Stderr)
	}
	return res
}

// FirstDifference compares a script's output with its expected output line
// by line and describes the first line that differs, naming the script; it
// returns "" when they match. A missing line reads as "<end of output>" or
// "<end of expected>".
func FirstDifference(script string, want, got []string) string {
	for i := 0; i < len(want) || i < len(got); i++ {
		w, g := "<end of expected>", "<end of output>"
		if i < len(want) {
			w = want[i]
		}
		if i < len(got) {
			g = got[i]
		}
		if w != g {
			return fmt.Sprintf("%s: output line %d differs\n got: %q\nwant: %q", script, i+1, g, w)
		}
	}
	return ""
}
