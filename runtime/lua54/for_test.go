package lua54

import (
	"strings"
	"testing"
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
