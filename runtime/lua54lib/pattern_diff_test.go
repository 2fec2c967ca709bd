package lua54lib

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// patternPieces are the building blocks of generated patterns: every kind
// of item, quantifiers, anchors, captures, and malformed fragments so that
// the error paths are compared too.
var patternPieces = []string{
	"a", "b", "x", " ", ".", "%a", "%d", "%s", "%w", "%p", "%g", "%c", "%l", "%u", "%x",
	"%A", "%S", "%W", "%G", "%.", "%%", "[ab]", "[^a]", "[a-c]", "[%d_]", "[%a-]", "[]]", "[^]a]",
	"%f[%w]", "%f[%W]", "%f[a]", "%f[^%z]", "%b()", "%bab", "(", ")", "()", "(a)", "(%w+)", "%1", "%2",
	"*", "+", "-", "?", "^", "$", "%", "[", "]", "[a", "%f", "%b", "%z", "\x00", "\xe4",
}

// subjectBytes are the bytes generated subjects are made of.
const subjectBytes = "aab b()[]%-.x1 _\x00\n\xe4Z"

// genPatternCase returns a deterministic pseudo-random pattern and subject.
func genPatternCase(r *rand.Rand) (pat, subj string) {
	var p strings.Builder
	for n := r.Intn(6) + 1; n > 0; n-- {
		p.WriteString(patternPieces[r.Intn(len(patternPieces))])
	}
	var s strings.Builder
	for n := r.Intn(12); n > 0; n-- {
		s.WriteByte(subjectBytes[r.Intn(len(subjectBytes))])
	}
	return p.String(), s.String()
}

// luaQuote writes s as a Lua string literal that both Lua 5.1 and 5.4
// read back byte for byte.
func luaQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= ' ' && c <= '~' && c != '"' && c != '\\' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "\\%03d", c) // three digits: a following digit is not read as part of it
		}
	}
	b.WriteByte('"')
	return b.String()
}

// patternDiffPrelude defines the helpers of the generated script: T calls
// a function under pcall and prints its results (or error) on one line.
const patternDiffPrelude = `
local function show(ok, ...)
  local t = {tostring(ok)}
  for i = 1, select('#', ...) do t[#t + 1] = tostring((select(i, ...))) end
  return table.concat(t, "|")
end
function T(f, ...) print(show(pcall(f, ...))) end
function G(s, p, init)
  local ok, it = pcall(string.gmatch, s, p, init)
  if not ok then return print("gmatch", it) end
  local out = {}
  for i = 1, 40 do
    local r = {pcall(it)}
    if not r[1] then out[#out + 1] = "err:" .. tostring(r[2]) break end
    if r[2] == nil then break end
    local parts = {}
    for j = 2, #r do parts[#parts + 1] = tostring(r[j]) end
    out[#out + 1] = table.concat(parts, ",")
  end
  print("gmatch", table.concat(out, ";"))
end
function cnt(...) return select('#', ...) end
`

// patternDiffScript builds the script for n generated cases.
func patternDiffScript(seed int64, n int) string {
	r := rand.New(rand.NewSource(seed))
	var b strings.Builder
	b.WriteString(patternDiffPrelude)
	for i := 0; i < n; i++ {
		pat, subj := genPatternCase(r)
		p, s := luaQuote(pat), luaQuote(subj)
		init := []string{"1", "2", "-3", "0", "20"}[r.Intn(5)]
		b.WriteString("print(" + itoa(i) + ", " + p + ", " + s + ")\n")
		b.WriteString("T(string.find, " + s + ", " + p + ")\n")
		b.WriteString("T(string.find, " + s + ", " + p + ", " + init + ")\n")
		b.WriteString("T(string.find, " + s + ", " + p + ", " + init + ", true)\n")
		b.WriteString("T(string.match, " + s + ", " + p + ", " + init + ")\n")
		b.WriteString("T(string.gsub, " + s + ", " + p + ", \"<%0%1>\")\n")
		b.WriteString("T(string.gsub, " + s + ", " + p + ", cnt, 2)\n")
		b.WriteString("T(string.gsub, " + s + ", " + p + ", {a = 'A', [1] = false})\n")
		b.WriteString("G(" + s + ", " + p + ", " + init + ")\n")
	}
	return b.String()
}

// runOurs runs script on gopher-lua with this package open and returns
// what it printed.
func runOurs(t *testing.T, script string) string {
	t.Helper()
	L := lua.NewState()
	defer L.Close()
	Open(L)
	var out bytes.Buffer
	L.SetGlobal("print", L.NewFunction(func(L *lua.LState) int {
		for i := 1; i <= L.GetTop(); i++ {
			if i > 1 {
				out.WriteByte('\t')
			}
			out.WriteString(L.ToStringMeta(L.Get(i)).String())
		}
		out.WriteByte('\n')
		return 0
	}))
	if err := L.DoString(script); err != nil {
		t.Fatalf("script error: %v", err)
	}
	return out.String()
}

// TestPatternDifferential runs a few hundred generated pattern/subject
// pairs through lua5.4 and through this package and compares every result
// and error message.
func TestPatternDifferential(t *testing.T) {
	lua54, err := exec.LookPath("lua5.4")
	if err != nil {
		t.Skip("lua5.4 not on PATH: the differential pattern test needs the reference interpreter")
	}
	script := patternDiffScript(54, 400)
	path := filepath.Join(t.TempDir(), "patterns.lua")
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	want, err := exec.Command(lua54, path).CombinedOutput()
	if err != nil {
		t.Fatalf("lua5.4: %v\n%s", err, want)
	}
	got := runOurs(t, script)
	wl, gl := strings.Split(string(want), "\n"), strings.Split(got, "\n")
	bad := 0
	var caseLine string
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if !strings.HasPrefix(w, "true") && !strings.HasPrefix(w, "false") && !strings.HasPrefix(w, "gmatch") {
			caseLine = w
		}
		if w != g {
			t.Errorf("case %q:\n  lua5.4: %q\n  ours:   %q", caseLine, w, g)
			if bad++; bad > 20 {
				t.Fatal("too many differences")
			}
		}
	}
}
