package specrun

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeScript(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "s.lua")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRunPassesAndCaptures(t *testing.T) {
	res := Run(t, writeScript(t, "print('hi', ...)\n"), Options{Args: []string{"a"}})
	if res.Stdout != "hi\ta\n" {
		t.Fatalf("stdout %q", res.Stdout)
	}
}

func TestFailureLineNamesScriptLine(t *testing.T) {
	p := writeScript(t, "local x = 1\nassert(x == 2, 'x is wrong')\n")
	res := Run(t, p, Options{WantExit: 1})
	if got := FailureLine(p, res.Stderr); got != "first failure at s.lua:2" {
		t.Fatalf("FailureLine = %q; stderr %q", got, res.Stderr)
	}
	if !strings.Contains(res.Stderr, "x is wrong") {
		t.Fatalf("stderr %q", res.Stderr)
	}
}
