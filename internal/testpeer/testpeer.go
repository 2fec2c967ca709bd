// Package testpeer finds the independent programs that interoperability
// tests run against (Python's websockets, headless Chromium, ...), so that
// every such test looks them up the same way and says the same thing when
// one is missing.
//
// A peer is found through an environment variable naming it (a path, or a
// name looked up on PATH), then by each of its usual names in every PATH
// directory in order, keeping the first candidate that passes the test's
// check (for example, a python3 that can import websockets: the first
// python3 on PATH is often a virtualenv's or pyenv's without it).
//
// When no candidate fits, the test is skipped with a message that says how
// to install the peer, or fails when the CI variable is set (CI installs
// every peer, so a missing one there is a broken install, not a choice).
// `go test ./...` prints nothing of a passing package, t.Skip messages and
// TestMain output included, so a skip is also written to the controlling
// terminal when there is one: a newcomer running the README's test command
// sees which peers were missing without -v.
package testpeer

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Peer describes one independent program a test needs.
type Peer struct {
	// Env names the environment variable that overrides the lookup.
	Env string
	// Names are the program names to look for on PATH, in order.
	Names []string
	// Install says how to get the peer (shown when it is missing).
	Install string
	// Check, if not nil, rejects a candidate that is unusable (for
	// example a python3 without the websockets module).
	Check func(path string) error
}

// Python is Python 3 with the websockets library (wscore's interop peer).
func Python() Peer {
	return Peer{
		Env:     "PYTHON",
		Names:   []string{"python3"},
		Install: "install python3-websockets (Debian) or pip install websockets, or set PYTHON to an interpreter that has it",
		Check: func(path string) error {
			out, err := exec.Command(path, "-c", "import websockets").CombinedOutput()
			if err != nil {
				return fmt.Errorf("%s cannot import websockets: %v: %s", path, err, strings.TrimSpace(string(out)))
			}
			return nil
		},
	}
}

// Chrome is a Chromium or Chrome that runs headless (the chat pages'
// browser).
func Chrome() Peer {
	return Peer{
		Env:     "CHROME",
		Names:   []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"},
		Install: "install chromium (Debian) or set CHROME to a Chromium/Chrome binary",
	}
}

// Lookup returns the first usable candidate for p, searching the PATH
// value path and reading variables through getenv, or an error that lists what was
// tried and rejected. It has no side effects, for tests of its own.
func (p Peer) Lookup(path string, getenv func(string) string) (string, error) {
	var rejected []string
	try := func(candidate string) (string, bool) {
		if p.Check != nil {
			if err := p.Check(candidate); err != nil {
				rejected = append(rejected, err.Error())
				return "", false
			}
		}
		return candidate, true
	}
	if v := getenv(p.Env); v != "" {
		candidate := v
		if !strings.ContainsRune(v, filepath.Separator) {
			candidate = findInPath(v, path, nil)
		}
		if candidate == "" || !isExecutable(candidate) {
			return "", fmt.Errorf("$%s=%q is not an executable file", p.Env, v)
		}
		if c, ok := try(candidate); ok {
			return c, nil
		}
		return "", fmt.Errorf("$%s: %s", p.Env, strings.Join(rejected, "; "))
	}
	for _, name := range p.Names {
		var found string
		findInPath(name, path, func(candidate string) bool {
			c, ok := try(candidate)
			found = c
			return ok
		})
		if found != "" {
			return found, nil
		}
	}
	msg := fmt.Sprintf("none of %s on PATH", strings.Join(p.Names, ", "))
	if len(rejected) > 0 {
		msg += " is usable: " + strings.Join(rejected, "; ")
	}
	return "", errors.New(msg)
}

// findInPath returns the first executable called name in the directories
// of path that accept (if not nil) takes, or "".
func findInPath(name, path string, accept func(string) bool) string {
	seen := map[string]bool{}
	for _, dir := range filepath.SplitList(path) {
		if dir == "" {
			dir = "."
		}
		candidate := filepath.Join(dir, name)
		if seen[candidate] || !isExecutable(candidate) {
			continue
		}
		seen[candidate] = true
		if accept == nil || accept(candidate) {
			return candidate
		}
	}
	return ""
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// Find returns the path of peer p for test t, or ends the test: skipped
// (failed under CI) with the reason and how to install the peer.
func Find(t testing.TB, p Peer) string {
	t.Helper()
	path, err := p.Lookup(os.Getenv("PATH"), os.Getenv)
	if err != nil {
		Missing(t, "%v; %s", err, p.Install)
	}
	return path
}

// Missing ends t because something it needs from outside the project is
// missing: a skip with the message, announced on the terminal, or a
// failure when CI is set. Tests that need a peer use it (through Find, or
// directly for a precondition Find cannot see) so that every such skip is
// reported one way.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("CI") != "" {
		t.Fatalf("peer required under CI (.ci/run installs it): %s", msg)
	}
	announce(t.Name(), msg)
	t.Skip(msg)
}

// announce writes a skip to the controlling terminal, the one place
// `go test ./...` does not swallow for a passing package. Without a
// terminal (CI logs, IDEs) the skip is in the -v / -json output as usual.
func announce(test, msg string) {
	tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0)
	if err != nil {
		return
	}
	defer tty.Close()
	fmt.Fprintf(tty, "SKIP %s: %s\n", test, msg)
}
