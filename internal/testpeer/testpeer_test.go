package testpeer

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeProgram makes an executable file called name in dir.
func writeProgram(t *testing.T, dir, name string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLookupOrder(t *testing.T) {
	first, second := t.TempDir(), t.TempDir()
	bad := writeProgram(t, first, "python3")
	good := writeProgram(t, second, "python3")
	if err := os.WriteFile(filepath.Join(first, "notexec"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	p := Peer{Env: "PYTHON", Names: []string{"python3"}, Check: func(path string) error {
		if path == bad {
			return errors.New("no websockets in " + path)
		}
		return nil
	}}
	path := first + string(os.PathListSeparator) + second
	noEnv := func(string) string { return "" }

	// The first candidate on PATH that passes the check wins.
	if got, err := p.Lookup(path, noEnv); err != nil || got != good {
		t.Fatalf("Lookup = %q, %v; want %q", got, err, good)
	}
	// The variable overrides PATH, as a path or as a name.
	other := writeProgram(t, t.TempDir(), "py")
	if got, err := p.Lookup(path, func(string) string { return other }); err != nil || got != other {
		t.Fatalf("PYTHON=%s: %q, %v", other, got, err)
	}
	// A variable naming something unusable is an error, not a fallback:
	// the user asked for that one.
	if _, err := p.Lookup(path, func(string) string { return bad }); err == nil || !strings.Contains(err.Error(), "no websockets") {
		t.Fatalf("PYTHON=%s (rejected): %v", bad, err)
	}
	if _, err := p.Lookup(path, func(string) string { return filepath.Join(first, "notexec") }); err == nil || !strings.Contains(err.Error(), "$PYTHON") {
		t.Fatalf("PYTHON=notexec: %v", err)
	}
	// Nothing usable: the error says what was tried and why it was refused.
	_, err := p.Lookup(first, noEnv)
	if err == nil || !strings.Contains(err.Error(), "python3") || !strings.Contains(err.Error(), "no websockets") {
		t.Fatalf("only a rejected candidate: %v", err)
	}
	if _, err := Chrome().Lookup(t.TempDir(), noEnv); err == nil || !strings.Contains(err.Error(), "chromium") {
		t.Fatalf("empty PATH: %v", err)
	}
}
