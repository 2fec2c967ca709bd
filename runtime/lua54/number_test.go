package lua54

import (
	"math"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// TestNumberToString checks the %.14g formatting against what lua5.4
// prints (`lua5.4 -e 'print(x)'`), with integral values as integers.
func TestNumberToString(t *testing.T) {
	negNaN := math.Float64frombits(0xfff8000000000000)
	for _, c := range []struct {
		in   float64
		want string
	}{
		{1.0 / 3, "0.33333333333333"},
		{-1.0 / 3, "-0.33333333333333"},
		{math.Inf(1), "inf"},
		{math.Inf(-1), "-inf"},
		{negNaN, "-nan"},
		{-negNaN, "nan"},
		{100, "100"},
		{1e15, "1000000000000000"},
		{math.Pow(2, 53), "9007199254740992"},
		{math.Pow(2, 63), "9.2233720368548e+18"},
		{-math.Pow(2, 63), "-9223372036854775808"},
		{1e100, "1e+100"},
		{123456789012.5, "123456789012.5"},
		{0.1, "0.1"},
		{1e-5, "1e-05"},
		{5e-324, "4.9406564584125e-324"},
		{math.Pi, "3.1415926535898"},
		{1234567.0000000002, "1234567.0"},
		{-0.5, "-0.5"},
		{math.Copysign(0, -1), "0"},
	} {
		if got := NumberToString(lua.LNumber(c.in)); got != c.want {
			t.Errorf("NumberToString(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}
