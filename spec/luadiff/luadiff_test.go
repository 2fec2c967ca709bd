package luadiff

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// programTimeout bounds one program's run in each interpreter. The corpus
// programs take milliseconds; the bound is for a program that loops.
const programTimeout = 10 * time.Second

// minCorpus is the corpus size issue 12 asks for.
const minCorpus = 150

// requireOracle skips the test when lua5.4 is not installed, except in CI
// (the CI environment variable set), where the oracle is required.
func requireOracle(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath(Oracle); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s required in CI (.ci/run installs Debian's lua5.4): %v", Oracle, err)
		}
		t.Skipf("%s not found on $PATH; install it (Debian: apt-get install lua5.4) to run the differential tests", Oracle)
	}
}

// checkProgram runs the program at path under both interpreters and fails
// t at the first line that differs.
func checkProgram(t *testing.T, path string, hits *ruleHits) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want, err := RunOracle(context.Background(), ".", path, programTimeout)
	if err != nil {
		t.Fatal(err)
	}
	reason, pending := pendingReason(src)
	got, err := RunOurs(path, programTimeout)
	if err != nil {
		if pending {
			t.Fatalf("%v\n  pending: %s", err, reason)
		}
		t.Fatal(err)
	}
	d := compare(path, src, want, got, Rules, hits)
	switch {
	case d != "" && pending:
		t.Errorf("%s\n  pending: %s", d, reason)
	case d != "":
		t.Error(d)
	case pending:
		t.Errorf("%s: agrees with %s now: remove its \"-- pending:\" line", path, Oracle)
	}
}

// pendingReason returns the reason given by a "-- pending: reason" first
// line, which marks a program that fails until a known difference is fixed.
func pendingReason(src []byte) (string, bool) {
	first, _, _ := strings.Cut(string(src), "\n")
	return strings.CutPrefix(first, "-- pending: ")
}

func TestCorpus(t *testing.T) {
	requireOracle(t)
	files, err := filepath.Glob(filepath.Join("corpus", "*.lua"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < minCorpus {
		t.Errorf("corpus has %d programs, want at least %d", len(files), minCorpus)
	}
	hits := &ruleHits{}
	var ran atomic.Int64
	t.Run("program", func(t *testing.T) {
		for _, f := range files {
			t.Run(strings.TrimSuffix(filepath.Base(f), ".lua"), func(t *testing.T) {
				t.Parallel()
				ran.Add(1)
				checkProgram(t, f, hits)
			})
		}
	})
	// A rule that accepts no line is stale; that can only be judged
	// when every program ran (not under a -run filter).
	if int(ran.Load()) != len(files) {
		return
	}
	for _, r := range Rules {
		if hits.count(r.Name) == 0 {
			t.Errorf("rule %s accepted no line of the corpus: it is stale (remove it, or fix the program that should hit it)", r.Name)
		}
	}
}

// TestRulesAreDocumented checks that every rule names a line of
// docs/lua-compat.md and only corpus programs that exist.
func TestRulesAreDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "lua-compat.md"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range Rules {
		if seen[r.Name] {
			t.Errorf("two rules named %s", r.Name)
		}
		seen[r.Name] = true
		if r.Compat == "" || !strings.Contains(string(doc), r.Compat) {
			t.Errorf("rule %s: docs/lua-compat.md has no entry containing %q", r.Name, r.Compat)
		}
		if len(r.Files) == 0 {
			t.Errorf("rule %s names no corpus program", r.Name)
		}
		for _, f := range r.Files {
			if _, err := os.Stat(filepath.Join("corpus", f)); err != nil {
				t.Errorf("rule %s: %v", r.Name, err)
			}
		}
	}
}
