package lua54

import (
	"strings"
	"testing"

	"github.com/yuin/gopher-lua/ast"
)

// TestForLoopsTerminate: loops whose 5.4 integer count float64 cannot
// follow are refused at entry (they looped forever or counted wrong
// before); long ones that break early keep working.
func TestForLoopsTerminate(t *testing.T) {
	const maxint, minint = "0x7ffffffffffffc00", "0x8000000000000000" // lua54lib's math.maxinteger, math.mininteger
	cases := []struct{ src, want string }{
		{"for i = " + maxint + " - 2, " + maxint + " do print(i) end",
			"'for' initial value 9223372036854774784 is beyond 2^53: float64 cannot count from it exactly"},
		{"for i = " + minint + ", " + minint + " + 2 do print(i) end",
			"'for' initial value -9223372036854775808 is beyond 2^53: float64 cannot count from it exactly"},
		{"local a = 9007199254740990 for i = a, a + 10 do end",
			"'for' loop from 9007199254740990 by 1 would pass 2^53"},
		{"local a = -9007199254740990 for i = a, a - 10, -1 do end",
			"'for' loop from -9007199254740990 by -1 would pass 2^53"},
		{"local a = 2^53 for i = a, a do end", "'for' initial value 9007199254740992 is beyond 2^53"},
		{"for i = 1, 2^60, 2^51 do end", "'for' loop from 1 by 2251799813685248 would pass 2^53"},
		{"for i = 1, 9007199254740992, 2251799813685248 do print(i) end", "1\n2251799813685249\n4503599627370497\n6755399441055745\n"},
		// One iteration needs no exact step: 5.4 runs it once.
		{"for i = 1, 3, 2^62 do print(i) end", "1\n"},
		{"local a = 9007199254740990 for i = a, a + 1 do print(i) end", "9007199254740990\n9007199254740991\n"},
		{"local n = 0 for i = 1, " + maxint + " do n = n + 1 if n == 4 then break end end print(n)", "4\n"},
		{"local n = 0 for i = -1, " + minint + ", -1 do n = n + 1 if n == 4 then break end end print(n)", "4\n"},
		{"local n = 0 for i = 1, 1/0 do n = n + 1 if n == 4 then break end end print(n)", "4\n"},
		// Numeric strings convert, as in 5.4.
		{`for i = "1", "3", "1" do print(i) end`, "1\n2\n3\n"},
		{`for i = 1, 2, "0" do end`, "'for' step is zero"},
	}
	for _, c := range cases {
		out, err := runLua(t, c.src)
		if err != nil {
			out = err.Error()
		}
		if !strings.Contains(out, c.want) {
			t.Errorf("%s:\n got %q\nwant %q", c.src, out, c.want)
		}
	}
}

// TestIntForRange checks the plan of integer loops, with a small minSteps
// standing in for minForSteps (2^32 steps cannot run in a test).
func TestIntForRange(t *testing.T) {
	const m = maxIndex // 2^53-1
	cases := []struct {
		i0, lim, st int64
		minSteps    uint64
		last, by    int64
		cut         bool
		err         string
	}{
		{1, 3, 1, 8, 3, 1, false, ""},
		{3, 1, -1, 8, 1, -1, false, ""},
		{1, 10, 4, 8, 9, 4, false, ""},
		{1, 3, 1 << 62, 8, 1, 1, false, ""}, // one iteration
		{m - 10, 1<<63 - 1, 1, 16, 0, 0, false, "would pass 2^53"},
		{m - 10, 1<<63 - 1, 1, 4, m, 1, true, ""}, // long enough: cut at the last exact value
		{-m + 10, -1 << 63, -1, 4, -m, -1, true, ""},
		{m - 10, 1<<63 - 1, 3, 2, m - 1, 3, true, ""},
		{m + 1, 1<<63 - 1, 1, 4, 0, 0, false, "beyond 2^53"},
		{-m, -m + 3, 1 << 53, 0, -m, 1, false, ""},              // one iteration
		{-m + 5, m, 1 << 52, 0, 0, 0, false, "would pass 2^53"}, // init-step is not exact
	}
	for _, c := range cases {
		last, by, cut, err := intForRange(c.i0, c.lim, c.st, c.minSteps)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%+v: got %v", c, err)
			}
			continue
		}
		if err != nil || last != c.last || by != c.by || cut != c.cut {
			t.Errorf("%+v: got %d %d %v %v", c, last, by, cut, err)
		}
	}
}

// TestForBreakClearsCut: a break of the guarded loop clears the cut value
// (so that forend, which reports a loop cut at 2^53, does not run), breaks
// of nested loops and functions stay as they are.
func TestForBreakClearsCut(t *testing.T) {
	stmts, err := Parse([]byte(`local a = 1
for i = a, 10 do
  if i == 2 then break elseif i == 3 then do break end end
  while true do break end
  local f = function() for j = 1, 2 do break end end
end`), "=t")
	if err != nil {
		t.Fatal(err)
	}
	do := stmts[1].(*ast.DoBlockStmt)
	loop := do.Stmts[1].(*ast.NumberForStmt)
	cleared := 0
	var walk func([]ast.Stmt)
	walk = func(list []ast.Stmt) {
		for i, st := range list {
			switch s := st.(type) {
			case *ast.BreakStmt:
				t.Errorf("break of the guarded loop left as is")
			case *ast.AssignStmt:
				if id, ok := s.Lhs[0].(*ast.IdentExpr); ok && id.Value == forCutVar {
					if _, ok := list[i+1].(*ast.BreakStmt); !ok {
						t.Errorf("cut cleared without a break after it")
					}
					cleared++
					return
				}
			case *ast.DoBlockStmt:
				walk(s.Stmts)
			case *ast.IfStmt:
				walk(s.Then)
				walk(s.Else)
			}
		}
	}
	walk(loop.Stmts)
	if cleared != 2 {
		t.Fatalf("%d breaks clear the cut, want 2", cleared)
	}
	// The while body is a jump guard (jumps.go) and the break.
	inner := loop.Stmts[1].(*ast.WhileStmt).Stmts
	if _, ok := inner[len(inner)-1].(*ast.BreakStmt); !ok {
		t.Fatal("a nested loop's break was rewritten")
	}
	if check, ok := do.Stmts[2].(*ast.IfStmt); !ok || check.Condition.(*ast.IdentExpr).Value != forCutVar {
		t.Fatal("no check of the cut after the loop")
	}
}
