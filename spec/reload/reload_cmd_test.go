//go:build unix

package reload_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/spec/specrun"
)

// TestCommandReloadKeepsConnections runs testdata/server.lua with the real
// command, opens 100 WebSocket connections, rewrites the handler module and
// reloads it — by SIGHUP, and by --watch noticing the change — then checks
// that the 100 connections still answer with the old code while a new
// connection gets the new code, that __reload carried the counter over, and
// that a reload with a syntax error is refused while serving goes on.
func TestCommandReloadKeepsConnections(t *testing.T) {
	for _, mode := range []string{"sighup", "watch"} {
		t.Run(mode, func(t *testing.T) {
			dir := t.TempDir()
			files := newScriptDir(t, dir)
			files.install("server.lua", "server.lua")
			files.install("handler_v1.lua", "handler.lua")

			var opts specrun.Options
			if mode == "watch" {
				opts.Flags = []string{"--watch"}
			}
			opts.Timeout = 3 * time.Minute
			p := specrun.Start(t, filepath.Join(dir, "server.lua"), opts)
			defer p.Stop()
			p.WaitForOutput("listening on ", 20*time.Second)
			stdout, _ := p.Output()
			m := regexp.MustCompile(`listening on (\S+)`).FindStringSubmatch(stdout)
			if m == nil {
				t.Fatalf("no address in %q", stdout)
			}
			addr := m[1]

			reload := func() {
				if mode == "sighup" {
					if err := syscall.Kill(p.Pid(), syscall.SIGHUP); err != nil {
						t.Fatal(err)
					}
				}
				// With --watch the poller (every 300 ms) picks the change up.
			}
			stderrCount := func(substr string) int {
				_, stderr := p.Output()
				return strings.Count(stderr, substr)
			}
			waitStderr := func(substr string, n int) string {
				t.Helper()
				deadline := time.Now().Add(20 * time.Second)
				for stderrCount(substr) < n {
					if time.Now().After(deadline) {
						out, errOut := p.Output()
						t.Fatalf("no %q (#%d) on stderr\nstdout:\n%s\nstderr:\n%s", substr, n, out, errOut)
					}
					time.Sleep(20 * time.Millisecond)
				}
				_, stderr := p.Output()
				return stderr
			}

			runReloadScenario(t, addr, scenarioSteps{
				installV2: func() {
					files.install("handler_v2.lua", "handler.lua")
					reload()
					stderr := waitStderr("golua-ws: reloaded handler", 1)
					if strings.Contains(stderr, "refused") {
						t.Fatalf("the good reload was refused:\n%s", stderr)
					}
				},
				installBroken: func() string {
					files.install("handler_broken.lua", "handler.lua")
					reload()
					return waitStderr("reload refused", 1)
				},
			})
			// Nothing else went wrong in the server while all this ran.
			_, stderr := p.Output()
			for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
				if !strings.HasPrefix(line, "golua-ws: reload") {
					t.Errorf("unexpected stderr line: %q", line)
				}
			}
		})
	}
}

// scriptDir copies testdata scripts into the directory the server runs
// from, giving every rewrite a later mtime so that the change is seen even
// on file systems with coarse timestamps.
type scriptDir struct {
	t    *testing.T
	dir  string
	next time.Time
}

func newScriptDir(t *testing.T, dir string) *scriptDir {
	return &scriptDir{t: t, dir: dir, next: time.Now().Add(-time.Hour)}
}

func (s *scriptDir) install(src, dst string) {
	s.t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", src))
	if err != nil {
		s.t.Fatal(err)
	}
	path := filepath.Join(s.dir, dst)
	// Write to a temporary name and rename, as editors do, so the server
	// never reads a half-written file.
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, body, 0o644); err != nil {
		s.t.Fatal(err)
	}
	s.next = s.next.Add(2 * time.Second)
	if err := os.Chtimes(tmp, s.next, s.next); err != nil {
		s.t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		s.t.Fatal(fmt.Errorf("install %s: %w", dst, err))
	}
}
