package lua54lib

import (
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// Inputs for BenchmarkSort: 1e4 pseudo-random numbers and strings. Each
// iteration sorts a fresh copy, so both variants pay the same copy cost.
const sortBenchSetup = `
nums, strs = {}, {}
local x = 12345
for i = 1, 10000 do
  x = (x * 16807) % 2147483647
  nums[i] = x
  strs[i] = "key" .. x
end
function copy(src)
  local t = {}
  for i = 1, #src do t[i] = src[i] end
  return t
end
`

// BenchmarkSort compares this package's table.sort with gopher-lua's.
func BenchmarkSort(b *testing.B) {
	cases := []struct{ name, body string }{
		// The copy alone, to subtract from the others.
		{"copy-only", `for i = 1, N do copy(nums) end`},
		{"numbers", `for i = 1, N do table.sort(copy(nums)) end`},
		{"strings", `for i = 1, N do table.sort(copy(strs)) end`},
		{"comparator", `local gt = function(a, b) return a > b end for i = 1, N do table.sort(copy(nums), gt) end`},
	}
	for _, c := range cases {
		b.Run(c.name+"/lua54lib", func(b *testing.B) {
			runLoop(b, sortBenchSetup, c.body)
		})
		b.Run(c.name+"/gopher-lua", func(b *testing.B) {
			L := lua.NewState()
			defer L.Close()
			runLoopOn(b, L, sortBenchSetup, c.body)
		})
	}
}
