package lua54lib

import (
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/golua-ws/golua-ws/runtime/lua54"
	lua "github.com/yuin/gopher-lua"
)

// Options configures OpenWithOptions.
type Options struct {
	// Stderr receives the output of warn. Nil means os.Stderr.
	Stderr io.Writer
	// Warnings starts with warnings on, as `lua -W` does. Lua 5.4 starts
	// with them off; a script can switch them with warn("@on")/warn("@off").
	Warnings bool
	// Warn, when set, receives each warning's text (the pieces joined,
	// without "Lua warning: ") instead of Stderr: the runtime's
	// structured log.
	Warn func(L *lua.LState, msg string)
	// IsMainThread reports whether th is the main thread, for
	// coroutine.running and isyieldable. Nil means gopher-lua's main
	// thread (L.G.MainThread); the runtime marks its main chunk's task.
	IsMainThread func(th *lua.LState) bool
	// Done, once closed, ends the goroutines of suspended coroutines (the
	// runtime passes its context's Done). Nil: they end only when their
	// coroutine is collected.
	Done <-chan struct{}
}

// Open adds the Lua 5.2-5.4 library functions to L, writing warnings to
// os.Stderr. Call it once per VM, after gopher-lua's own libraries are open
// (lua.NewState does that) and before any script runs.
func Open(L *lua.LState) {
	OpenWithOptions(L, Options{})
}

// OpenWithOptions is Open with the warn output redirected.
func OpenWithOptions(L *lua.LState, opts Options) {
	if opts.Stderr == nil {
		opts.Stderr = os.Stderr
	}
	openMath(L)
	openTable(L)
	openString(L)
	openUTF8(L)
	openBase(L, opts.Stderr, opts.Warnings, opts.Warn)
	openCoroutine(L, opts)
	openIO(L)
	openOS(L)
	openDebug(L)
	openPackage(L)
}

// libTable returns the global library table name, creating it when a VM was
// opened without it (lua.NewState with SkipOpenLibs).
func libTable(L *lua.LState, name string) *lua.LTable {
	if t, ok := L.GetGlobal(name).(*lua.LTable); ok {
		return t
	}
	t := L.NewTable()
	L.SetGlobal(name, t)
	return t
}

// register sets fns into t.
func register(L *lua.LState, t *lua.LTable, fns map[string]lua.LGFunction) {
	for name, fn := range fns {
		t.RawSetString(name, L.NewFunction(fn))
	}
}

// Integers are float64 in this VM: the int64 range is [-2^63, 2^63).
const (
	twoTo63 = 9223372036854775808.0
	// maxInteger is the largest float64 below 2^63 (2^63-1024), the value of
	// math.maxinteger: the true 2^63-1 has no float64 representation.
	maxInteger = float64(math.MaxInt64 - 1023)
	// minInteger is -2^63, exact in float64.
	minInteger = -twoTo63
)

// funcName is the name Lua 5.4's luaL_argerror would print for the running
// Go function: the call-site name when called from Lua, else its qualified
// global name (e.g. "string.pack" when passed to pcall directly).
func funcName(L *lua.LState, qualified string) string {
	if dbg, ok := L.GetStack(0); ok {
		if _, err := L.GetInfo("n", dbg, lua.LNil); err == nil {
			n := dbg.Name
			if n != "" && n != "?" && n != "(anonymous)" && !strings.HasPrefix(n, "<") &&
				n != "main chunk" && n != "corountine" {
				return n
			}
		}
	}
	return qualified
}

// where is Lua 5.4's luaL_where(L, level): "chunk:line: " of the function
// running at level (1: the one that called the running Go function), or ""
// when that function is not Lua.
func where(L *lua.LState, level int) string {
	dbg, ok := L.GetStack(level)
	if !ok {
		return ""
	}
	if _, err := L.GetInfo("Sl", dbg, lua.LNil); err != nil {
		return ""
	}
	if dbg.What == "G" || dbg.CurrentLine <= 0 {
		return ""
	}
	return fmt.Sprintf("%s:%d: ", dbg.Source, dbg.CurrentLine)
}

// raise raises msg prefixed with the caller position, as luaL_error does.
func raise(L *lua.LState, format string, args ...any) {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	L.Error(lua.LString(where(L, 1)+msg), 0)
}

// argError raises Lua 5.4's "bad argument #n to 'name' (msg)".
func argError(L *lua.LState, n int, qualified, msg string) {
	raise(L, "bad argument #%d to '%s' (%s)", n, funcName(L, qualified), msg)
}

// typeName is luaL_typename, with __name honoured as 5.4 does in type errors.
func typeName(L *lua.LState, n int) string {
	if n > L.GetTop() {
		return "no value"
	}
	return lua54.ObjTypeName(L, L.Get(n))
}

// typeError raises "bad argument #n to 'f' (T expected, got U)".
func typeError(L *lua.LState, n int, qualified, expected string) {
	argError(L, n, qualified, expected+" expected, got "+typeName(L, n))
}

// checkInteger is luaL_checkinteger for float64 numbers: integral values
// (and numeric strings) are accepted, fractions raise "number has no integer
// representation".
func checkInteger(L *lua.LState, n int, qualified string) int64 {
	var f float64
	switch v := L.Get(n).(type) {
	case lua.LNumber:
		f = float64(v)
	case lua.LString:
		var ok bool
		if f, ok = lua54.StringToNumber(string(v)); !ok {
			typeError(L, n, qualified, "number")
		}
	default:
		typeError(L, n, qualified, "number")
	}
	i, ok := lua54.FloatToInt(f)
	if !ok {
		argError(L, n, qualified, "number has no integer representation")
	}
	return i
}

// optInteger is luaL_optinteger: absent or nil gives def.
func optInteger(L *lua.LState, n int, qualified string, def int64) int64 {
	if L.Get(n) == lua.LNil {
		return def
	}
	return checkInteger(L, n, qualified)
}

// checkNumber is luaL_checknumber (numeric strings accepted).
func checkNumber(L *lua.LState, n int, qualified string) float64 {
	switch v := L.Get(n).(type) {
	case lua.LNumber:
		return float64(v)
	case lua.LString:
		if f, ok := lua54.StringToNumber(string(v)); ok {
			return f
		}
	}
	typeError(L, n, qualified, "number")
	return 0
}

// checkString is luaL_checklstring: numbers convert to strings.
func checkString(L *lua.LState, n int, qualified string) string {
	switch v := L.Get(n).(type) {
	case lua.LString:
		return string(v)
	case lua.LNumber:
		return lua54.NumberToString(v)
	}
	typeError(L, n, qualified, "string")
	return ""
}

// optString is luaL_optlstring.
func optString(L *lua.LState, n int, qualified, def string) string {
	if L.Get(n) == lua.LNil {
		return def
	}
	return checkString(L, n, qualified)
}

// checkAny is luaL_checkany.
func checkAny(L *lua.LState, n int, qualified string) lua.LValue {
	if n > L.GetTop() {
		argError(L, n, qualified, "value expected")
	}
	return L.Get(n)
}
