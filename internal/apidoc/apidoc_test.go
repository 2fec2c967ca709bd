package main

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// docsDir is docs/api seen from this package's directory.
var docsDir = filepath.Join("..", "..", "docs", "api")

// TestCommittedReferenceIsCurrent fails when docs/api differs from what
// the stubs render to: a stub was edited without go generate, or a page
// was edited by hand.
func TestCommittedReferenceIsCurrent(t *testing.T) {
	pages, err := render()
	if err != nil {
		t.Fatal(err)
	}
	committed, err := filepath.Glob(filepath.Join(docsDir, "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range committed {
		if _, ok := pages[filepath.Base(p)]; !ok {
			t.Errorf("docs/api/%s has no module behind it; run go generate ./luamod/stubs", filepath.Base(p))
		}
	}
	names := make([]string, 0, len(pages))
	for n := range pages {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		got, err := os.ReadFile(filepath.Join(docsDir, n))
		if err != nil {
			t.Errorf("docs/api/%s: %v; run go generate ./luamod/stubs", n, err)
			continue
		}
		if !bytes.Equal(got, pages[n]) {
			t.Errorf("docs/api/%s is stale; run go generate ./luamod/stubs", n)
		}
	}
}

// TestWriteReplacesStalePages: write removes the page of a module that is
// gone and rewrites a page edited by hand.
func TestWriteReplacesStalePages(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "eco.gone.md"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "eco.websocket.md"), []byte("edited"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := write(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "eco.gone.md")); !os.IsNotExist(err) {
		t.Errorf("the page of a module that does not exist was kept: %v", err)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "eco.websocket.md"))
	if !bytes.Contains(got, []byte("## Class `eco.websocket.connection`")) {
		t.Errorf("eco.websocket.md was not regenerated:\n%s", got)
	}
}

// TestSplitTopLevel: results declared on one line are split, commas in
// types and prose are not.
func TestSplitTopLevel(t *testing.T) {
	cases := map[string][]string{
		"boolean ok, silly.errno? err":            {"boolean ok", "silly.errno? err"},
		"table<string, string> headers":           {"table<string, string> headers"},
		"nil, string? err":                        {"nil", "string? err"},
		"string? err \"timeout\" or \"closed\"":   {"string? err \"timeout\" or \"closed\""},
		"integer n the count, never negative":     {"integer n the count, never negative"},
		"fun(a: integer, b: string): boolean cmp": {"fun(a: integer, b: string): boolean cmp"},
	}
	for in, want := range cases {
		got := splitTopLevel(in)
		if len(got) != len(want) {
			t.Errorf("splitTopLevel(%q) = %q, want %q", in, got, want)
			continue
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("splitTopLevel(%q) = %q, want %q", in, got, want)
			}
		}
	}
}
