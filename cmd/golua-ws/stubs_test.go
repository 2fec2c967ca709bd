package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golua-ws/golua-ws/luamod/stubs"
)

// TestStubsCommandWritesDefinitionsAndLuaRC runs "golua-ws stubs DIR" in a
// workspace that already has a .luarc.json: every module's file lands in
// DIR, the workspace's settings are kept, and running it again does not
// list DIR twice.
func TestStubsCommandWritesDefinitionsAndLuaRC(t *testing.T) {
	ws := t.TempDir()
	t.Chdir(ws)
	if err := os.WriteFile(".luarc.json", []byte(`{"diagnostics.globals": ["ngx"], "workspace.library": ["other"]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		var stdout, stderr bytes.Buffer
		if code := run([]string{"stubs", "types"}, &stdout, &stderr); code != 0 {
			t.Fatalf("exit %d, stderr %q", code, stderr.String())
		}
	}
	for _, name := range stubs.Names() {
		got, err := os.ReadFile(filepath.Join(ws, "types", name+".lua"))
		if err != nil {
			t.Fatalf("module %s: %v", name, err)
		}
		want, _ := stubs.Source(name)
		if !bytes.Equal(got, want) {
			t.Errorf("types/%s.lua differs from the embedded description", name)
		}
	}
	b, err := os.ReadFile(filepath.Join(ws, ".luarc.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rc map[string]any
	if err := json.Unmarshal(b, &rc); err != nil {
		t.Fatalf(".luarc.json: %v\n%s", err, b)
	}
	if rc["runtime.version"] != "Lua 5.4" {
		t.Errorf("runtime.version = %v, want Lua 5.4", rc["runtime.version"])
	}
	libs, _ := rc["workspace.library"].([]any)
	if len(libs) != 2 || libs[0] != "other" || libs[1] != "types" {
		t.Errorf("workspace.library = %v, want [other types]", rc["workspace.library"])
	}
	if globals, _ := rc["diagnostics.globals"].([]any); len(globals) != 1 {
		t.Errorf("the workspace's own setting was lost: %s", b)
	}
}

// TestStubsCommandErrors: a DIR that cannot be created and a broken
// .luarc.json end with exit 1 and a message, and no argument prints usage.
func TestStubsCommandErrors(t *testing.T) {
	ws := t.TempDir()
	t.Chdir(ws)
	if err := os.WriteFile("afile", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		argv  []string
		setup func()
		want  string
	}{
		{[]string{"stubs"}, nil, "usage: golua-ws stubs DIR"},
		{[]string{"--stubs", "afile/types"}, nil, "not a directory"},
		{[]string{"stubs", "types"}, func() { _ = os.WriteFile(".luarc.json", []byte("{broken"), 0o644) }, "is not a JSON object"},
	}
	for _, c := range cases {
		if c.setup != nil {
			c.setup()
		}
		var stdout, stderr bytes.Buffer
		if code := run(c.argv, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 1 and %q", c.argv, code, stderr.String(), c.want)
		}
	}
}
