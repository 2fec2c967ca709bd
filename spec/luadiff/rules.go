package luadiff

import (
	"regexp"
	"strings"
	"sync"
)

// Rule is one documented difference between golua-ws and Lua 5.4 that the
// comparison tolerates. A rule applies only to the corpus programs it
// names, and only to a pair of lines that differ: it rewrites one specific
// construct in both lines, and the pair is accepted when the rewritten
// lines are equal. Every rule names the docs/lua-compat.md line it
// implements (Compat must occur in that file), and every rule must accept
// at least one line of the corpus, else it is stale and the test fails.
type Rule struct {
	// Name identifies the rule in reports.
	Name string
	// Compat is a text that occurs in the docs/lua-compat.md entry the
	// rule implements.
	Compat string
	// Files are the corpus programs (base names, e.g. "float64.lua")
	// where the rule applies.
	Files []string
	// Rewrite normalises the construct in one line of output.
	Rewrite func(line string) string
}

// appliesTo reports whether r may be used for the program named base.
func (r *Rule) appliesTo(base string) bool {
	for _, f := range r.Files {
		if f == base {
			return true
		}
	}
	return false
}

// integralFloat is a decimal number with a ".0" fraction standing alone
// (not part of a longer number or a name): how Lua 5.4 prints a float with
// an integral value.
var integralFloat = regexp.MustCompile(`(^|[^\w.])(-?\d+)\.0($|[^\w.])`)

// varInfo is the description of a variable that Lua 5.4 appends to some
// runtime error messages: " (local 'x')", " (global 'f')", ...
var varInfo = regexp.MustCompile(` \((local|global|upvalue|field|method|constant) '[^']*'\)`)

// linePair returns a Rewrite that maps one exact lua5.4 line, want, and the
// golua-ws lines got matches (whole) to a single token, so that the rule
// accepts that pair and nothing else. For a construct whose whole output
// differs (an error where 5.4 has a result).
func linePair(token, want string, got *regexp.Regexp) func(string) string {
	return func(line string) string {
		if line == want || got.MatchString(line) {
			return "<" + token + ">"
		}
		return line
	}
}

// Rules is the documented-differences filter. It is a fixed table, never
// modified at run time; add a rule only for a line of docs/lua-compat.md.
var Rules = []Rule{
	{
		Name:   "integral-float-prints-as-integer",
		Compat: "tostring(1.0)",
		Files:  []string{"float64_integral.lua", "int_arith_mix.lua", "int_coercion_arith.lua", "num_tonumber.lua"},
		Rewrite: func(line string) string {
			// Applied twice: adjacent matches share a separator.
			line = integralFloat.ReplaceAllString(line, "$1$2$3")
			return integralFloat.ReplaceAllString(line, "$1$2$3")
		},
	},
	{
		Name:   "math-type-of-integral-float",
		Compat: "math.type(1.0)",
		Files:  []string{"float64_integral.lua"},
		Rewrite: func(line string) string {
			return strings.ReplaceAll(line, "float", "integer")
		},
	},
	{
		Name:   "error-messages-name-no-variable",
		Compat: "(local 'x')",
		Files:  []string{"err_runtime_messages.lua", "errors_arith.lua", "errors_call.lua", "errors_index.lua", "int_bitwise.lua"},
		Rewrite: func(line string) string {
			return varInfo.ReplaceAllString(line, "")
		},
	},
	{
		// 1e15 is a float in 5.4, printed with %.14g.
		Name:    "big-integral-float-prints-digits",
		Compat:  "Integral floats print as integers",
		Files:   []string{"float64_integral.lua"},
		Rewrite: linePair("1e15", "big\t1e+15", regexp.MustCompile(`^big\t1000000000000000$`)),
	},
	{
		Name:   "for-beyond-2^53-errors-at-entry",
		Compat: "starts beyond ±(2^53-1) (`for i = math.maxinteger - 2, math.maxinteger`), is an error at entry",
		Files:  []string{"num_for_beyond_2p53.lua"},
		Rewrite: func(line string) string {
			line = linePair("for from maxinteger-2", "max\ttrue\t3", regexp.MustCompile(
				`^max\tfalse\t\S*num_for_beyond_2p53\.lua:2: 'for' initial value 9223372036854774784 is beyond 2\^53: float64 cannot count from it exactly \(numbers are float64 in golua-ws\)$`))(line)
			return linePair("for from mininteger", "min\ttrue\t3", regexp.MustCompile(
				`^min\tfalse\t\S*num_for_beyond_2p53\.lua:3: 'for' initial value -9223372036854775808 is beyond 2\^53: float64 cannot count from it exactly \(numbers are float64 in golua-ws\)$`))(line)
		},
	},
	{
		// popcount(-1) shifts -1 >> 1 = 2^63-1, which rounds to 2^63.
		Name:   "shift-result-beyond-2^53-rounds",
		Compat: "Only integer expressions are exact beyond 2^53",
		Files:  []string{"int_popcount.lua"},
		Rewrite: linePair("popcount(-1)", "neg\ttrue\t64", regexp.MustCompile(
			`^neg\tfalse\t\S*int_popcount\.lua:4: number has no integer representation$`)),
	},
	{
		Name:    "eq-needs-one-shared-metamethod",
		Compat:  "calls `__eq` only when both operands have the same `__eq` function",
		Files:   []string{"meta_eq.lua"},
		Rewrite: linePair("__eq of two different functions", "mixed\ttrue\ttrue", regexp.MustCompile(`^mixed\tfalse\tfalse$`)),
	},
	{
		Name:   "lt-le-between-types-raise",
		Compat: "raise \"attempt to compare table with number\" without calling `__lt` / `__le`",
		Files:  []string{"meta_le_fallback.lua"},
		Rewrite: linePair("__lt/__le with a number", "mixed\ttrue\ttrue\ttrue\ttrue\ttrue\tfalse", regexp.MustCompile(
			`^mixed\tfalse\t\S*meta_le_fallback\.lua:16: attempt to compare table with number$`)),
	},
}

// ruleHits counts, per rule, the lines it accepted; safe for the parallel
// subtests of one test.
type ruleHits struct {
	mu sync.Mutex
	n  map[string]int
}

func (h *ruleHits) add(name string) {
	if h == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.n == nil {
		h.n = make(map[string]int)
	}
	h.n[name]++
}

func (h *ruleHits) count(name string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.n[name]
}

// accept reports whether the rules applicable to program base make the
// lua5.4 line want and golua-ws line got equal, counting the rules that
// took part in hits.
func accept(rules []Rule, base, want, got string, hits *ruleHits) bool {
	var used []string
	for i := range rules {
		r := &rules[i]
		if !r.appliesTo(base) {
			continue
		}
		w, g := r.Rewrite(want), r.Rewrite(got)
		if w != want || g != got {
			used = append(used, r.Name)
			want, got = w, g
		}
		if want == got {
			for _, n := range used {
				hits.add(n)
			}
			return true
		}
	}
	return false
}
