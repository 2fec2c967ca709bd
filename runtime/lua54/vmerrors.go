package lua54

import (
	"fmt"
	"regexp"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// This file translates the messages gopher-lua's VM raises in its own words
// ("cannot perform add operation between table and number") into Lua 5.4's
// ("attempt to perform arithmetic on a table value"). Every error reaches
// Lua code through PCall's error function, which calls translateVMError at
// the point of the error, before any handler, pcall result, coroutine.resume
// result or uncaught-error report sees the value.

// operand is a value an instruction that raised operated on, as the 5.4
// messages name it.
type operand struct {
	raw  string // its type name (luaL_typename)
	name string // __name of its metatable, else its type name (luaT_objtypename)
}

// vmError is one message gopher-lua's VM raises and how Lua 5.4 words it.
type vmError struct {
	// prefix is the literal start of the message, looked for before re
	// is tried, so that other errors cost no regular expression match.
	prefix string
	// re matches the message after its position prefix, from start to end.
	re *regexp.Regexp
	// ops are the opcodes whose instruction raises the message; the
	// operands of another instruction are not used.
	ops []int
	// text returns the 5.4 message for re's submatches m and, when known
	// (nil otherwise), the opcode and operands of the instruction that
	// raised it. It
	// returns "" when it has too little to go on: the message stays as is.
	text func(m []string, op int, ops []operand) string
}

// vmErrors is the table of gopher-lua v1.1.2's VM messages (vm.go and the
// table access of state.go) that differ from Lua 5.4's. Each pattern is
// gopher-lua's exact format; its messages are raised only by the VM.
var vmErrors = []vmError{
	{
		// objectArith; strings that convert to numbers are converted
		// before the message names them.
		prefix: "cannot perform ",
		re:     regexp.MustCompile(`^cannot perform (add|sub|mul|div|mod|pow) operation between (\w+) and (\w+)$`),
		ops:    []int{lua.OP_ADD, lua.OP_SUB, lua.OP_MUL, lua.OP_DIV, lua.OP_MOD, lua.OP_POW},
		text: func(m []string, op int, ops []operand) string {
			a, b := operand{raw: m[2], name: m[2]}, operand{raw: m[3], name: m[3]}
			if len(ops) == 2 && convertedAs(ops[0].raw, m[2]) && convertedAs(ops[1].raw, m[3]) {
				a, b = ops[0], ops[1]
			}
			return arithMessage(m[1], a, b)
		},
	},
	{
		prefix: "__unm undefined",
		re:     regexp.MustCompile(`^__unm undefined$`),
		ops:    []int{lua.OP_UNM},
		text: func(m []string, op int, ops []operand) string {
			if len(ops) != 1 || ops[0].raw == "number" {
				return ""
			}
			return arithMessage("unm", ops[0], ops[0])
		},
	},
	{
		prefix: "__len undefined",
		re:     regexp.MustCompile(`^__len undefined$`),
		ops:    []int{lua.OP_LEN},
		text: func(m []string, op int, ops []operand) string {
			if len(ops) != 1 || ops[0].raw == "table" || ops[0].raw == "string" {
				return ""
			}
			return "attempt to get length of a " + ops[0].name + " value"
		},
	},
	{
		prefix: "attempt to call a non-function object",
		re:     regexp.MustCompile(`^attempt to call a non-function object$`),
		ops:    []int{lua.OP_CALL, lua.OP_TAILCALL, lua.OP_TFORLOOP},
		text: func(m []string, op int, ops []operand) string {
			if len(ops) != 1 || ops[0].raw == "function" {
				return ""
			}
			if op == lua.OP_TFORLOOP {
				// 5.4 describes the generic for's function this way.
				return "attempt to call a " + ops[0].name + " value (for iterator 'for iterator')"
			}
			return "attempt to call a " + ops[0].name + " value"
		},
	},
	{
		// getField/setField and their string-key variants.
		prefix: "attempt to index a non-table object(",
		re:     regexp.MustCompile(`^attempt to index a non-table object\((\w+)\) with key '(?s:.*)'$`),
		text: func(m []string, _ int, _ []operand) string {
			return "attempt to index a " + m[1] + " value"
		},
	},
	{
		// lessThan, OP_LE and objectRationalWithError.
		prefix: "attempt to compare ",
		re:     regexp.MustCompile(`^attempt to compare (\w+) with (\w+)$`),
		ops:    []int{lua.OP_LT, lua.OP_LE},
		text: func(m []string, op int, ops []operand) string {
			t1, t2 := m[1], m[2]
			if len(ops) == 2 && ops[0].raw == t1 && ops[1].raw == t2 {
				t1, t2 = ops[0].name, ops[1].name
			}
			if t1 == t2 {
				return "attempt to compare two " + t1 + " values"
			}
			return "attempt to compare " + t1 + " with " + t2
		},
	},
	{
		// OP_FORPREP (init, step) and OP_FORLOOP (limit).
		prefix: "for statement ",
		re:     regexp.MustCompile(`^for statement (init|limit|step) must be a number$`),
		ops:    []int{lua.OP_FORPREP, lua.OP_FORLOOP},
		text: func(m []string, op int, ops []operand) string {
			i, what := map[string]int{"init": 0, "limit": 1, "step": 2}[m[1]], m[1]
			if what == "init" {
				what = "initial value"
			}
			if len(ops) != 3 || ops[i].raw == "number" {
				return ""
			}
			return "bad 'for' " + what + " (number expected, got " + ops[i].name + ")"
		},
	},
}

// convertedAs reports whether an operand of type raw appears as typ in an
// arithmetic message (a numeric string appears as a number).
func convertedAs(raw, typ string) bool {
	return raw == typ || raw == "string" && typ == "number"
}

// arithMessage is Lua 5.4's message for arithmetic op on a and b that have
// no metamethod: the string library's when a string takes part (its __add
// and friends handle those), else luaG_opinterror's, which names the first
// operand that is not a number.
func arithMessage(op string, a, b operand) string {
	if a.raw == "string" || b.raw == "string" {
		return fmt.Sprintf("attempt to %s a '%s' with a '%s'", op, a.raw, b.raw)
	}
	if a.raw == "number" {
		a = b
	}
	return "attempt to perform arithmetic on a " + a.name + " value"
}

// matchVMError finds the entry of vmErrors that msg is, with msg's
// position prefix and the submatches of the entry's pattern; e is nil when
// msg is none of them.
func matchVMError(msg string) (e *vmError, pos string, m []string) {
	for i := range vmErrors {
		e := &vmErrors[i]
		at := strings.Index(msg, e.prefix)
		if at < 0 || !isPosition(msg[:at]) {
			continue
		}
		if m := e.re.FindStringSubmatch(msg[at:]); m != nil {
			return e, msg[:at], m
		}
	}
	return nil, "", nil
}

// isPosition reports whether pos is empty or the "chunk:line: " gopher-lua
// puts before a message raised in a Lua function.
func isPosition(pos string) bool {
	if pos == "" {
		return true
	}
	rest, ok := strings.CutSuffix(pos, ": ")
	if !ok || strings.IndexByte(pos, '\n') >= 0 {
		return false
	}
	i := len(rest)
	for i > 0 && '0' <= rest[i-1] && rest[i-1] <= '9' {
		i--
	}
	return i < len(rest) && i > 0 && rest[i-1] == ':'
}

// translateVMError returns Lua 5.4's wording of msg, a message raised by
// gopher-lua's VM while executing opcode op (-1 when unknown) on the
// operands ops (nil when unknown), with its position prefix kept; ok is
// false when msg is none of vmErrors.
func translateVMError(msg string, op int, ops []operand) (string, bool) {
	e, pos, m := matchVMError(msg)
	if e == nil {
		return msg, false
	}
	return e.translate(msg, pos, m, op, ops)
}

// translate is translateVMError for the entry msg matched.
func (e *vmError) translate(msg, pos string, m []string, op int, ops []operand) (string, bool) {
	if !opIn(op, e.ops) {
		ops = nil
	}
	if t := e.text(m, op, ops); t != "" {
		return pos + t, true
	}
	return msg, false
}

func opIn(op int, ops []int) bool {
	for _, o := range ops {
		if o == op {
			return true
		}
	}
	return false
}

// translateRaised translates the string error value msg raised on L if
// the function at level of L's call stack, which raised it, is a Lua
// function: only the VM raises errors there (error() and the library
// functions run in frames of their own), so a message a script builds
// itself is never rewritten.
func translateRaised(L *lua.LState, level int, msg string) (string, bool) {
	e, pos, m := matchVMError(msg)
	if e == nil {
		return msg, false
	}
	op, vals, isLua, ok := raisingOperands(L, level)
	if !isLua {
		return msg, false
	}
	var ops []operand
	if ok {
		ops = make([]operand, len(vals))
		for i, v := range vals {
			ops[i] = operandOf(L, v)
		}
	} else {
		op = -1
	}
	return e.translate(msg, pos, m, op, ops)
}

func operandOf(L *lua.LState, v lua.LValue) operand {
	return operand{raw: v.Type().String(), name: ObjTypeName(L, v)}
}

// ObjTypeName is luaT_objtypename, the type name Lua 5.4's error messages
// use: a string __name from the metatable of a table or userdata, else the
// type name.
func ObjTypeName(L *lua.LState, v lua.LValue) string {
	switch v.Type() {
	case lua.LTTable, lua.LTUserData:
		if mt, ok := L.GetMetatable(v).(*lua.LTable); ok {
			if s, ok := mt.RawGetString("__name").(lua.LString); ok {
				return string(s)
			}
		}
	case lua.LTChannel:
		return "userdata"
	}
	return v.Type().String()
}
