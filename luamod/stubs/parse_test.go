package stubs

import (
	"strings"
	"testing"
)

// TestParseBothStyles reads the two ways the stubs are written: a blank
// line after the module's summary, or the summary on a ---@class that
// types the module table itself; classes keep their methods.
func TestParseBothStyles(t *testing.T) {
	src := `---@meta x.y
---Summary of x.y.
---@class x.y
local M = {}

---@class x.y.opts
---@field timeout? number seconds

---@class x.y.obj
local obj = {}

---Read.
---@param n integer
---@return string? data, string? err
function obj:read(n) end

--- Make one.
---@return x.y.obj
function M.new() end

return M
`
	d, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "x.y" || d.Summary != "Summary of x.y." {
		t.Errorf("name %q summary %q", d.Name, d.Summary)
	}
	if len(d.Functions) != 1 || d.Functions[0].Name != "new" || d.Functions[0].Summary != "Make one." {
		t.Errorf("functions %+v", d.Functions)
	}
	if len(d.Classes) != 2 || d.Classes[0].Name != "x.y.opts" || len(d.Classes[0].Fields) != 1 ||
		d.Classes[1].Name != "x.y.obj" || len(d.Classes[1].Methods) != 1 ||
		!d.Classes[1].Methods[0].Method || len(d.Classes[1].Methods[0].Tags) != 2 {
		t.Errorf("classes %+v", d.Classes)
	}
}

// TestParseRejects: what would hide a function from the drift test is an
// error, with its line.
func TestParseRejects(t *testing.T) {
	cases := map[string]string{
		"local M = {}\n": "must start with ---@meta",
		"---@meta a\nlocal M = {}\nfunction N.f() end\n":  "line 3: function on \"N\"",
		"---@meta a\nlocal M = {}\nfunction M.f()\nend\n": "line 3: write a function as one line",
		"": "no ---@meta",
	}
	for src, want := range cases {
		_, err := Parse([]byte(src))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v, want an error containing %q", src, err, want)
		}
	}
}
