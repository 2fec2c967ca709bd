package lua54

import (
	"strings"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/ast"
)

// lowerConcat lowers "lhs .. rhs". gopher-lua's OP_CONCAT formats numbers
// with Go's shortest representation (LNumber.String), not Lua's "%.14g",
// so a concatenation whose operands are not all literals becomes one call
// of the concat helper with every operand of the chain: "a .. b .. c" is
// concat(a, b, c), right-associative like Lua's own OP_CONCAT. A chain of
// string and numeric literals only is folded into one string literal when
// the result is a short string (at most 40 bytes, LUAI_MAXSHORTLEN): 5.4
// interns those, so folding cannot be observed, while a longer one is a
// new string object in 5.4, distinct (string.format("%p")) from an equal
// literal.
//
// The call is left unadjusted (AdjustRet false): the helper returns exactly
// one value, so nothing changes where a list would take every value, and
// an assignment then reads the result from a fresh register instead of
// compiling the call into the target's register (gopher-lua compiles an
// adjusted call assigned to the last parameter in place, overwriting the
// parameter before the arguments read it).
func lowerConcat(lhs, rhs ast.Expr) ast.Expr {
	line := lhs.Line()
	args := []ast.Expr{singleValue(lhs)}
	if c, ok := rhs.(*ast.FuncCallExpr); ok && !c.AdjustRet && isHelper(c.Func, concatHelper) {
		args = append(args, c.Args...)
	} else {
		args = append(args, singleValue(rhs))
	}
	if s, ok := foldConcat(args); ok && len(s) <= maxShortString {
		e := &ast.StringExpr{Value: s}
		e.SetLine(line)
		return e
	}
	call := helperCall(concatHelper, line, args...)
	call.AdjustRet = false
	return call
}

// singleValue truncates a call or "..." operand to its first value, as an
// operand of ".." is; as the helper's last argument it would otherwise pass
// all its values.
func singleValue(e ast.Expr) ast.Expr {
	switch x := e.(type) {
	case *ast.FuncCallExpr:
		if !x.AdjustRet && !isHelper(x.Func, concatHelper) {
			c := *x
			c.AdjustRet = true
			return &c
		}
	case *ast.Comma3Expr:
		c := *x
		c.AdjustRet = true
		return &c
	}
	return e
}

// maxShortString is Lua 5.4's LUAI_MAXSHORTLEN.
const maxShortString = 40

func isHelper(e ast.Expr, name string) bool {
	id, ok := e.(*ast.IdentExpr)
	return ok && id.Value == name
}

// foldConcat concatenates a chain made of string and numeric literals.
func foldConcat(args []ast.Expr) (string, bool) {
	var b []byte
	for _, a := range args {
		if s, ok := a.(*ast.StringExpr); ok {
			b = append(b, s.Value...)
			continue
		}
		v, ok := constNumber(a)
		if !ok {
			return "", false
		}
		b = AppendNumber(b, lua.LNumber(v))
	}
	return string(b), true
}

// concatenable reports whether v joins a concatenation without a
// metamethod: strings and numbers.
func concatenable(v lua.LValue) bool {
	switch v.(type) {
	case lua.LString, lua.LNumber:
		return true
	}
	return false
}

// concat is the ".." helper: concat(v1, ..., vn) with Lua 5.4's rules.
// Numbers convert with NumberToString. Otherwise, as luaV_concat does, it
// works from the right: a run of strings and numbers at the end joins in
// one step; a pair with another value calls __concat of either operand.
func concat(L *lua.LState) int {
	n := L.GetTop()
	if n == 2 { // the common case: two strings
		if a, ok := L.Get(1).(lua.LString); ok {
			if b, ok := L.Get(2).(lua.LString); ok {
				L.Push(a + b)
				return 1
			}
		}
	}
	plain := true
	for i := 1; i <= n && plain; i++ {
		plain = concatenable(L.Get(i))
	}
	if plain { // no metamethod: join straight from the stack
		L.Push(join(n, func(i int) lua.LValue { return L.Get(i + 1) }))
		return 1
	}
	vals := make([]lua.LValue, n)
	for i := range vals {
		vals[i] = L.Get(i + 1)
	}
	top := n
	for top > 1 {
		a, b := vals[top-2], vals[top-1]
		if concatenable(a) && concatenable(b) {
			first := top - 2
			for first > 0 && concatenable(vals[first-1]) {
				first--
			}
			run := vals[first:top]
			vals[first] = join(len(run), func(i int) lua.LValue { return run[i] })
			top = first + 1
			continue
		}
		mm := L.GetMetaField(a, "__concat")
		if mm == lua.LNil {
			mm = L.GetMetaField(b, "__concat")
		}
		if mm == lua.LNil {
			bad := a
			if concatenable(a) {
				bad = b
			}
			L.RaiseError("attempt to concatenate a %s value", bad.Type().String())
		}
		L.Push(mm)
		L.Push(a)
		L.Push(b)
		L.Call(2, 1)
		vals[top-2] = L.Get(-1)
		L.Pop(1)
		top--
	}
	if top == 1 {
		v := vals[0]
		if num, ok := v.(lua.LNumber); ok && n == 1 {
			v = lua.LString(NumberToString(num))
		}
		L.Push(v)
	}
	return 1
}

// join concatenates the strings and numbers at(0) .. at(n-1) into one
// allocation: the size is estimated with 24 bytes per number (the longest
// NumberToString is 21 bytes), so a number is formatted once.
func join(n int, at func(int) lua.LValue) lua.LString {
	size := 0
	for i := 0; i < n; i++ {
		if s, ok := at(i).(lua.LString); ok {
			size += len(s)
		} else {
			size += 24
		}
	}
	var b strings.Builder
	b.Grow(size)
	var num [32]byte
	for i := 0; i < n; i++ {
		switch x := at(i).(type) {
		case lua.LString:
			b.WriteString(string(x))
		case lua.LNumber:
			b.Write(AppendNumber(num[:0], x))
		}
	}
	return lua.LString(b.String())
}
