package lua54lib

import (
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// patternBenchSetup holds the subjects of the pattern benchmarks: an HTTP
// request head, a config line, a padded value and a query string.
const patternBenchSetup = `
head = "GET /index.html HTTP/1.1\r\nHost: example.com\r\nUser-Agent: bench/1.0\r\nAccept: */*\r\nContent-Length: 1234\r\n\r\n"
line = "  name = value  "
query = "a=1&bb=22&ccc=333&dddd=4444&e=5&ff=66&ggg=777&hhhh=8888"
vars = {user = "lua", host = "example.com"}
tmpl = "hello $user at $host, $user again and $unknown"
`

// patternBenches are typical uses of the pattern functions.
var patternBenches = []struct{ name, body string }{
	{"find/plain", `local find = string.find for i = 1, N do local a, b = find(head, "\r\n\r\n", 1, true) end`},
	{"find/nospecials", `local find = string.find for i = 1, N do local a, b = find(head, "Content-Length") end`},
	{"find/pattern", `local find = string.find for i = 1, N do local a, b, n = find(head, "Content%-Length: (%d+)") end`},
	{"match/keyvalue", `local match = string.match for i = 1, N do local k, v = match("key=value", "(%w+)=(%w+)") end`},
	{"match/trim", `local match = string.match for i = 1, N do local s = match(line, "^%s*(.-)%s*$") end`},
	{"match/anchored-miss", `local match = string.match for i = 1, N do local s = match(head, "^POST") end`},
	{"gmatch/pairs", `local gmatch = string.gmatch for i = 1, N do for k, v in gmatch(query, "(%w+)=(%w+)") do end end`},
	{"gsub/spaces", `local gsub = string.gsub for i = 1, N do local s = gsub(head, "%s+", " ") end`},
	{"gsub/table", `local gsub = string.gsub for i = 1, N do local s = gsub(tmpl, "%$(%w+)", vars) end`},
	{"gsub/function", `local gsub, upper = string.gsub, string.upper for i = 1, N do local s = gsub(query, "%a+", upper) end`},
}

// BenchmarkPattern runs each case on this package's functions ("lua54")
// and on gopher-lua's own string library ("gopher-lua", what the base
// commit used).
func BenchmarkPattern(b *testing.B) {
	for _, bc := range patternBenches {
		b.Run(bc.name+"/lua54", func(b *testing.B) {
			runLoop(b, patternBenchSetup, bc.body)
		})
		b.Run(bc.name+"/gopher-lua", func(b *testing.B) {
			L := lua.NewState()
			defer L.Close()
			runLoopOn(b, L, patternBenchSetup, bc.body)
		})
	}
}
