package lua54

import (
	"errors"
	"strings"
	"testing"
)

func TestChunkID(t *testing.T) {
	cases := map[string]string{
		"@dir/file.lua":                          "dir/file.lua",
		"=stdin":                                 "stdin",
		"x = 1":                                  `[string "x = 1"]`,
		"a\nb":                                   `[string "a..."]`,
		"@" + strings.Repeat("d/", 40) + "f.lua": "..." + (strings.Repeat("d/", 40) + "f.lua")[80+5-56:],
	}
	for in, want := range cases {
		if got := chunkID(in); got != want {
			t.Errorf("chunkID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestShebangKeepsLineNumbers(t *testing.T) {
	_, err := runLua(t, "#!/usr/bin/env golua-ws\nlocal x = 1\nerror('here')\n")
	if err == nil || !strings.Contains(err.Error(), "test.lua:3: here") {
		t.Fatalf("want the error at line 3, got %v", err)
	}
}

func TestSyntaxErrorType(t *testing.T) {
	_, err := Compile([]byte("local x = \n\n+"), "@a/b.lua")
	var se *SyntaxError
	if !errors.As(err, &se) || se.Line != 3 || err.Error() != "a/b.lua:3: unexpected symbol near '+'" {
		t.Fatalf("got %#v (%v)", se, err)
	}
}

func TestRuntimeErrorLinesInLoweredCode(t *testing.T) {
	src := "local a = 1\nlocal b = nil\nlocal c = a\n  & b\n"
	_, err := runLua(t, src)
	if err == nil || !strings.Contains(err.Error(), "test.lua:3: attempt to perform bitwise operation on a nil value") {
		t.Fatalf("got %v", err)
	}
	src = "local t = setmetatable({}, {__close = function() end})\ndo\n  local c <close> = t\n  error('in scope')\nend\n"
	_, err = runLua(t, src)
	if err == nil || !strings.Contains(err.Error(), "test.lua:4: in scope") {
		t.Fatalf("got %v", err)
	}
}

// TestGotoKeepsOuterUpvaluesOpen covers the gopher-lua bug Compile repairs:
// its goto closed every upvalue of the frame.
func TestGotoKeepsOuterUpvaluesOpen(t *testing.T) {
	out, err := runLua(t, `local x = 1
local f = function() return x end
for i = 1, 3 do if i == 2 then goto c end ::c:: end
x = 2
print(f())`)
	if err != nil || out != "2\n" {
		t.Fatalf("got %q, %v", out, err)
	}
}

func TestDeepNestingIsAnError(t *testing.T) {
	src := "x = " + strings.Repeat("(", 10000) + "1" + strings.Repeat(")", 10000)
	_, err := Compile([]byte(src), "=deep")
	if err == nil || !strings.Contains(err.Error(), "too many syntax levels") {
		t.Fatalf("got %v", err)
	}
	src = strings.Repeat("do ", 5000) + strings.Repeat("end ", 5000)
	if _, err := Compile([]byte(src), "=deep"); err == nil {
		t.Fatal("deeply nested blocks compiled")
	}
}

func TestHelpersDoNotTouchGlobals(t *testing.T) {
	out, err := runLua(t, `local n = 0
for k in pairs(_G) do if type(k) ~= "string" or k:find("\0", 1, true) then n = n + 1 end end
local a = 6 & 3 | (1 << 2)
print(n, a, rawget(_G, "\0lua54.band"))`)
	if err != nil || out != "0\t6\tnil\n" {
		t.Fatalf("got %q, %v", out, err)
	}
}
