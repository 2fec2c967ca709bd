package luaarg

import (
	"errors"
	"math"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// checkCase calls a Go function f from Lua as `pcall(f, <args>)` and expects
// either the value the function's check returned or the exact error message
// a script sees.
type checkCase struct {
	name    string
	args    string                  // Lua argument list for f
	check   func(L *lua.LState) any // the helper under test
	want    any                     // check's result when wantErr is ""
	wantErr string                  // the message pcall returns
}

// runCase runs c on a fresh VM that has a global ctx, a userdata whose
// metatable's __name is "struct md5_ctx *", as eco.hash's contexts have.
func runCase(t *testing.T, c checkCase) {
	t.Helper()
	L := lua.NewState()
	defer L.Close()
	ud := L.NewUserData()
	mt := L.NewTable()
	mt.RawSetString("__name", lua.LString("struct md5_ctx *"))
	L.SetMetatable(ud, mt)
	L.SetGlobal("ctx", ud)

	var got any
	L.SetGlobal("f", L.NewFunction(func(L *lua.LState) int {
		got = c.check(L)
		return 0
	}))
	call := "pcall(f)"
	if c.args != "" {
		call = "pcall(f, " + c.args + ")"
	}
	if err := L.DoString("ok, err = " + call); err != nil {
		t.Fatal(err)
	}
	if ok := L.GetGlobal("ok"); ok != lua.LTrue {
		msg := L.GetGlobal("err").String()
		if c.wantErr == "" {
			t.Fatalf("f(%s) raised %q, want %v", c.args, msg, c.want)
		}
		if msg != c.wantErr {
			t.Fatalf("f(%s) raised\n%q, want\n%q", c.args, msg, c.wantErr)
		}
		return
	}
	if c.wantErr != "" {
		t.Fatalf("f(%s) returned %v, want the error %q", c.args, got, c.wantErr)
	}
	if got != c.want {
		t.Fatalf("f(%s) = %#v, want %#v", c.args, got, c.want)
	}
}

func runCases(t *testing.T, cases []checkCase) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { runCase(t, c) })
	}
}

func TestCheckString(t *testing.T) {
	check := func(L *lua.LState) any { return CheckString(L, 1, "encode") }
	runCases(t, []checkCase{
		{name: "string", args: `'abc'`, check: check, want: "abc"},
		{name: "number converts", args: `12.5`, check: check, want: "12.5"},
		{name: "integral number", args: `3`, check: check, want: "3"},
		{name: "table", args: `{}`, check: check,
			wantErr: "<string>:1: bad argument #1 to 'encode' (string expected, got table)"},
		{name: "absent", args: ``, check: check,
			wantErr: "<string>:1: bad argument #1 to 'encode' (string expected, got no value)"},
		{name: "explicit nil", args: `nil`, check: check,
			wantErr: "<string>:1: bad argument #1 to 'encode' (string expected, got nil)"},
		{name: "boolean", args: `true`, check: check,
			wantErr: "<string>:1: bad argument #1 to 'encode' (string expected, got boolean)"},
		{name: "__name of the metatable", args: `ctx`, check: check,
			wantErr: "<string>:1: bad argument #1 to 'encode' (string expected, got struct md5_ctx *)"},
		{name: "second argument", args: `'k', {}`,
			check:   func(L *lua.LState) any { CheckString(L, 1, "xor"); return CheckString(L, 2, "xor") },
			wantErr: "<string>:1: bad argument #2 to 'xor' (string expected, got table)"},
	})
}

func TestCheckInteger(t *testing.T) {
	check := func(L *lua.LState) any { return CheckInteger(L, 1, "randomkey") }
	const noInt = "<string>:1: bad argument #1 to 'randomkey' (number has no integer representation)"
	const notNum = "<string>:1: bad argument #1 to 'randomkey' (number expected, got string)"
	runCases(t, []checkCase{
		{name: "integer", args: `42`, check: check, want: int64(42)},
		{name: "integral float", args: `-7.0`, check: check, want: int64(-7)},
		{name: "decimal string", args: `' 10 '`, check: check, want: int64(10)},
		{name: "hex string", args: `'0x10'`, check: check, want: int64(16)},
		{name: "signed hex string", args: `'-0X1f'`, check: check, want: int64(-31)},
		{name: "float string", args: `'1e3'`, check: check, want: int64(1000)},
		{name: "smallest int64", args: `-2^63`, check: check, want: int64(math.MinInt64)},
		{name: "fraction", args: `1.5`, check: check, wantErr: noInt},
		{name: "fraction string", args: `'2.5'`, check: check, wantErr: noInt},
		{name: "2^63", args: `2^63`, check: check, wantErr: noInt},
		{name: "nan", args: `0/0`, check: check, wantErr: noInt},
		{name: "inf string is no number", args: `'inf'`, check: check, wantErr: notNum},
		{name: "nan string is no number", args: `'nan'`, check: check, wantErr: notNum},
		{name: "digit separator", args: `'1_000'`, check: check, wantErr: notNum},
		{name: "word", args: `'ten'`, check: check, wantErr: notNum},
		{name: "table", args: `{}`, check: check,
			wantErr: "<string>:1: bad argument #1 to 'randomkey' (number expected, got table)"},
		{name: "absent", args: ``, check: check,
			wantErr: "<string>:1: bad argument #1 to 'randomkey' (number expected, got no value)"},
	})
}

func TestCheckNumber(t *testing.T) {
	check := func(L *lua.LState) any { return CheckNumber(L, 1, "sleep") }
	runCases(t, []checkCase{
		{name: "number", args: `0.25`, check: check, want: 0.25},
		{name: "string", args: `'2.5'`, check: check, want: 2.5},
		{name: "inf string", args: `'inf'`, check: check,
			wantErr: "<string>:1: bad argument #1 to 'sleep' (number expected, got string)"},
		{name: "absent", args: ``, check: check,
			wantErr: "<string>:1: bad argument #1 to 'sleep' (number expected, got no value)"},
	})
}

// TestGoFloatsKeepsCoreBehaviour pins where GoFloats differs from
// LuaNumerals, which is what the core modules have always done.
func TestGoFloatsKeepsCoreBehaviour(t *testing.T) {
	integer := func(L *lua.LState) any { return GoFloats.CheckInteger(L, 1, "now") }
	number := func(L *lua.LState) any { return GoFloats.CheckNumber(L, 1, "eco.sleep") }
	runCases(t, []checkCase{
		{name: "hex", args: `'0x10'`, check: integer, want: int64(16)},
		{name: "decimal", args: `'12'`, check: integer, want: int64(12)},
		{name: "inf is a number without integer", args: `'inf'`, check: integer,
			wantErr: "<string>:1: bad argument #1 to 'now' (number has no integer representation)"},
		{name: "signed hex is no number", args: `'-0x10'`, check: integer,
			wantErr: "<string>:1: bad argument #1 to 'now' (number expected, got string)"},
		{name: "Infinity", args: `'Infinity'`, check: number, want: math.Inf(1)},
		{name: "fraction", args: `1.5`, check: integer,
			wantErr: "<string>:1: bad argument #1 to 'now' (number has no integer representation)"},
		{name: "nil", args: `nil`, check: number,
			wantErr: "<string>:1: bad argument #1 to 'eco.sleep' (number expected, got nil)"},
	})
	if f, ok := GoFloats.ToNumber(lua.LString("nan")); !ok || !math.IsNaN(f) {
		t.Errorf("GoFloats.ToNumber(nan) = %v, %v; want NaN, true", f, ok)
	}
	if _, ok := LuaNumerals.ToNumber(lua.LString("nan")); ok {
		t.Errorf("LuaNumerals.ToNumber(nan) accepted it")
	}
	if _, ok := LuaNumerals.ToNumber(lua.LTrue); ok {
		t.Errorf("LuaNumerals.ToNumber(true) accepted it")
	}
}

func TestErrorAndTypeError(t *testing.T) {
	runCases(t, []checkCase{
		{name: "Error", args: `'', 'x'`,
			check:   func(L *lua.LState) any { Error(L, 1, "xor", "crypto.xor key can't be empty"); return nil },
			wantErr: "<string>:1: bad argument #1 to 'xor' (crypto.xor key can't be empty)"},
		{name: "TypeError", args: `1, 2`,
			check:   func(L *lua.LState) any { TypeError(L, 2, "after", "function"); return nil },
			wantErr: "<string>:1: bad argument #2 to 'after' (function expected, got number)"},
		{name: "TypeError absent", args: `1`,
			check:   func(L *lua.LState) any { TypeError(L, 2, "after", "function"); return nil },
			wantErr: "<string>:1: bad argument #2 to 'after' (function expected, got no value)"},
	})
}

func TestMethodDoesNotCountSelf(t *testing.T) {
	update := Method("update")
	runCases(t, []checkCase{
		{name: "CheckString", args: `ctx, 'data'`, check: func(L *lua.LState) any { return update.CheckString(L, 2) }, want: "data"},
		{name: "CheckString number", args: `ctx, 5`, check: func(L *lua.LState) any { return update.CheckString(L, 2) }, want: "5"},
		{name: "first argument is #1", args: `ctx, {}`,
			check:   func(L *lua.LState) any { return update.CheckString(L, 2) },
			wantErr: "<string>:1: bad argument #1 to 'update' (string expected, got table)"},
		{name: "absent", args: `ctx`,
			check:   func(L *lua.LState) any { return update.CheckString(L, 2) },
			wantErr: "<string>:1: bad argument #1 to 'update' (string expected, got no value)"},
		{name: "bad self", args: `'x', 'data'`,
			check:   func(L *lua.LState) any { update.TypeError(L, 1, "struct md5_ctx *"); return nil },
			wantErr: "<string>:1: calling 'update' on bad self (struct md5_ctx * expected, got string)"},
		{name: "no self", args: ``,
			check:   func(L *lua.LState) any { update.TypeError(L, 1, "struct md5_ctx *"); return nil },
			wantErr: "<string>:1: calling 'update' on bad self (struct md5_ctx * expected, got no value)"},
		{name: "Error on a later argument", args: `ctx, 1, 2`,
			check:   func(L *lua.LState) any { update.Error(L, 3, "too big"); return nil },
			wantErr: "<string>:1: bad argument #2 to 'update' (too big)"},
	})
}

func TestMethodCalledWithColon(t *testing.T) {
	L := lua.NewState()
	defer L.Close()
	obj := L.NewTable()
	obj.RawSetString("update", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString(Method("update").CheckString(L, 2)))
		return 1
	}))
	L.SetGlobal("obj", obj)
	err := L.DoString(`assert(obj:update('x') == 'x')
		obj:update({})`)
	var apiErr *lua.ApiError
	if !errors.As(err, &apiErr) {
		t.Fatalf("obj:update({}) raised %v, want a Lua error", err)
	}
	const want = "<string>:2: bad argument #1 to 'update' (string expected, got table)"
	if got := apiErr.Object.String(); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestAssertFailedHasNoPosition(t *testing.T) {
	runCase(t, checkCase{name: "assert", args: `1`,
		check:   func(L *lua.LState) any { AssertFailed(L, "delay must be a number"); return nil },
		wantErr: "delay must be a number"})
}
