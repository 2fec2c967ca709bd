package luadiff

import (
	"strings"
	"testing"
)

// TestCompare checks the comparison itself, without any interpreter.
func TestCompare(t *testing.T) {
	src := []byte("-- \"a\" in a comment\nprint(\"a\", 1)\nprint(\"b\", 2)\n")
	want := normalise("a\t1\nb\t2\n", "", 0, oraclePrefix)
	if d := compare("x.lua", src, want, want, nil, nil); d != "" {
		t.Fatalf("equal outputs differ: %s", d)
	}
	got := normalise("a\t1\nb\t3\n", "", 0, "")
	d := compare("x.lua", src, want, got, nil, nil)
	if !strings.Contains(d, "x.lua:3: output line 2 differs") || !strings.Contains(d, `"b\t3"`) || !strings.Contains(d, `"b\t2"`) {
		t.Fatalf("report: %s", d)
	}
	// The uncaught error's message is compared without lua5.4's prefix
	// and without the traceback.
	oracle := normalise("a\t1\n", "lua5.4: x.lua:9: boom\nstack traceback:\n\t[C]: in ?\n", 1, oraclePrefix)
	ours := normalise("a\t1\n", "x.lua:9: boom\nstack traceback:\n\t[G]: in ?\n", 1, "")
	if d := compare("x.lua", src, oracle, ours, nil, nil); d != "" {
		t.Fatalf("same error differs: %s", d)
	}
	ours = normalise("a\t1\n", "x.lua:9: other\n", 1, "")
	if d := compare("x.lua", src, oracle, ours, nil, nil); !strings.Contains(d, `"x.lua:9: other"`) {
		t.Fatalf("error report: %s", d)
	}
	// An early error shows its message next to the marker.
	ours = normalise("", "x.lua:2: early\n", 1, "")
	if d := compare("x.lua", src, oracle, ours, nil, nil); !strings.Contains(d, "--- stderr --- x.lua:2: early") || !strings.Contains(d, "x.lua:2: output line 1") {
		t.Fatalf("early error report: %s", d)
	}
	// A missing line is a difference.
	if d := compare("x.lua", src, want, normalise("a\t1\n", "", 0, ""), nil, nil); !strings.Contains(d, "<end of output>") {
		t.Fatalf("short output: %s", d)
	}
}

// TestRulesAreNarrow checks that a rule accepts only its construct, only
// in its files, and counts its hits.
func TestRulesAreNarrow(t *testing.T) {
	hits := &ruleHits{}
	if !accept(Rules, "float64_integral.lua", "one\t1.0\t3.0", "one\t1\t3", hits) {
		t.Error("integral floats not accepted in float64_integral.lua")
	}
	if hits.count("integral-float-prints-as-integer") != 1 {
		t.Error("hit not counted")
	}
	if accept(Rules, "closure_counter.lua", "one\t1.0", "one\t1", hits) {
		t.Error("a rule applied outside its files")
	}
	if accept(Rules, "float64_integral.lua", "one\t1.5", "one\t1", hits) {
		t.Error("1.5 accepted as 1")
	}
	if accept(Rules, "float64_integral.lua", "v\t10.0", "v\t100", hits) {
		t.Error("10.0 accepted as 100")
	}
	if !accept(Rules, "int_bitwise.lua", "e\tx.lua:1: attempt to index a nil value (local 'x')", "e\tx.lua:1: attempt to index a nil value", hits) {
		t.Error("variable description not dropped")
	}
	if accept(Rules, "int_bitwise.lua", "e\tattempt to index a nil value (local 'x')", "e\tattempt to call a nil value", hits) {
		t.Error("different messages accepted")
	}
}
