// Package lua54lib_test runs the Lua spec programs of this directory on a
// plain gopher-lua VM with the Lua 5.4 library additions and compares what
// they print with their .expected files.
//
// The .expected files hold the output of the reference interpreter
// (Debian's lua5.4, 5.4.4: `lua5.4 x.lua`, stderr appended after the
// marker line); the scripts use only Lua 5.1 syntax so that both run them.
// CI needs no Lua interpreter: the files are checked in. Where golua-ws must differ because its numbers are float64, the
// line holds golua-ws's output and a following line starting with "##"
// says what 5.4 prints and why. Lines starting with "##" are not compared.
// Output written to the warn writer follows a line "--- stderr ---".
package lua54lib_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golua-ws/golua-ws/runtime/lua54lib"
	"github.com/golua-ws/golua-ws/spec/specrun"
	lua "github.com/yuin/gopher-lua"
)

// runScript runs one spec program and returns what it printed (stdout,
// then the warn output after a marker line).
func runScript(t *testing.T, path string) string {
	t.Helper()
	L := lua.NewState()
	defer L.Close()
	var out, stderr bytes.Buffer
	lua54lib.OpenWithOptions(L, lua54lib.Options{Stderr: &stderr})
	L.SetGlobal("print", L.NewFunction(func(L *lua.LState) int {
		for i := 1; i <= L.GetTop(); i++ {
			if i > 1 {
				out.WriteByte('\t')
			}
			out.WriteString(lua54lib.ToString(L, L.Get(i)))
		}
		out.WriteByte('\n')
		return 0
	}))
	if err := L.DoFile(path); err != nil {
		t.Fatalf("%s: script error: %v", path, err)
	}
	if stderr.Len() > 0 {
		out.WriteString("--- stderr ---\n")
		out.Write(stderr.Bytes())
	}
	return out.String()
}

// diffLines describes the first line that differs, naming the script, or
// returns "" when got matches want.
func diffLines(script, got, want string) string {
	var wantLines []string
	for _, l := range strings.Split(strings.TrimRight(want, "\n"), "\n") {
		if !strings.HasPrefix(l, "##") {
			wantLines = append(wantLines, l)
		}
	}
	gotLines := strings.Split(strings.TrimRight(got, "\n"), "\n")
	return specrun.FirstDifference(script, wantLines, gotLines)
}

func TestSpecScripts(t *testing.T) {
	scripts, err := filepath.Glob("*.lua")
	if err != nil {
		t.Fatal(err)
	}
	if len(scripts) == 0 {
		t.Fatal("no spec scripts found")
	}
	for _, script := range scripts {
		t.Run(strings.TrimSuffix(script, ".lua"), func(t *testing.T) {
			want, err := os.ReadFile(strings.TrimSuffix(script, ".lua") + ".expected")
			if err != nil {
				t.Fatalf("%s: missing expected output: %v", script, err)
			}
			if d := diffLines(script, runScript(t, script), string(want)); d != "" {
				t.Fatal(d)
			}
		})
	}
}

// TestDiffLines makes sure the comparison itself can fail and skips notes.
func TestDiffLines(t *testing.T) {
	if d := diffLines("x.lua", "a\nb\n", "a\n## note\nc\n"); !strings.Contains(d, "x.lua: output line 2") {
		t.Fatalf("differing output not reported: %q", d)
	}
	if d := diffLines("x.lua", "a\nb\n", "a\n## note\nb\n"); d != "" {
		t.Fatalf("equal output reported: %q", d)
	}
	if d := diffLines("x.lua", "a\n", "a\nb\n"); !strings.Contains(d, "<end of output>") {
		t.Fatalf("missing line not reported: %q", d)
	}
}
