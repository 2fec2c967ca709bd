package lua54lib

import (
	"strings"

	"github.com/golua-ws/golua-ws/runtime/lua54"
	lua "github.com/yuin/gopher-lua"
)

func openTable(L *lua.LState) {
	t := libTable(L, "table")
	register(L, t, map[string]lua.LGFunction{
		"pack":   tablePack,
		"unpack": tableUnpack,
		"move":   tableMove,
		"insert": tableInsert,
		"remove": tableRemove,
		"concat": tableConcat,
		"sort":   tableSort,
	})
}

// Access modes for checkTab, as in 5.4's ltablib.c.
const (
	tabR  = 1 << iota // needs __index
	tabW              // needs __newindex
	tabL              // needs __len
	tabRW = tabR | tabW
)

// checkTab accepts a table, or any value whose metatable provides the
// metamethods that the requested access needs.
func checkTab(L *lua.LState, n int, qualified string, what int) {
	v := L.Get(n)
	if v.Type() == lua.LTTable {
		return
	}
	if mt, ok := L.GetMetatable(v).(*lua.LTable); ok {
		if (what&tabR == 0 || mt.RawGetString("__index") != lua.LNil) &&
			(what&tabW == 0 || mt.RawGetString("__newindex") != lua.LNil) &&
			(what&tabL == 0 || mt.RawGetString("__len") != lua.LNil) {
			return
		}
	}
	typeError(L, n, qualified, "table")
}

// plainTable returns v as a table when it has no metatable, so raw access
// is the same as access with metamethods.
func plainTable(v lua.LValue) (*lua.LTable, bool) {
	t, ok := v.(*lua.LTable)
	if !ok {
		return nil, false
	}
	// A metatable is an *LTable or LNil; the type test is cheaper than
	// comparing interfaces, and this runs for every element table.sort
	// touches.
	if _, has := t.Metatable.(*lua.LTable); has {
		return nil, false
	}
	return t, true
}

// geti is lua_geti: t[i] with metamethods.
func geti(L *lua.LState, v lua.LValue, i int64) lua.LValue {
	if t, ok := plainTable(v); ok {
		if i < 1 || i >= int64(lua.MaxArrayIndex) {
			// RawSetInt keeps such keys in the hash part, which
			// RawGetInt does not look at.
			return t.RawGet(lua.LNumber(float64(i)))
		}
		return t.RawGetInt(int(i))
	}
	return L.GetTable(v, lua.LNumber(float64(i)))
}

// seti is lua_seti: t[i] = x with metamethods.
func seti(L *lua.LState, v lua.LValue, i int64, x lua.LValue) {
	if t, ok := plainTable(v); ok {
		t.RawSetInt(int(i), x)
		return
	}
	L.SetTable(v, lua.LNumber(float64(i)), x)
}

// objLen is luaL_len: #v honouring __len, which must give an integer.
func objLen(L *lua.LState, v lua.LValue) int64 {
	if t, ok := plainTable(v); ok {
		return int64(t.Len())
	}
	if s, ok := v.(lua.LString); ok {
		return int64(len(s))
	}
	if fn := L.GetMetaField(v, "__len"); fn != lua.LNil {
		L.Push(fn)
		L.Push(v)
		L.Call(1, 1)
		r := L.Get(-1)
		L.Pop(1)
		if n, ok := r.(lua.LNumber); ok {
			if i, ok := lua54.FloatToInt(float64(n)); ok {
				return i
			}
		}
		raise(L, "object length is not an integer")
	}
	if t, ok := v.(*lua.LTable); ok {
		return int64(t.Len())
	}
	raise(L, "attempt to get length of a %s value", v.Type().String())
	return 0
}

// auxGetN is 5.4's aux_getn: check the table, then its length.
func auxGetN(L *lua.LState, n int, qualified string, what int) int64 {
	checkTab(L, n, qualified, what|tabL)
	return objLen(L, L.Get(n))
}

// tablePack returns {n = select('#', ...), ...}.
func tablePack(L *lua.LState) int {
	n := L.GetTop()
	t := L.CreateTable(n, 1)
	for i := 1; i <= n; i++ {
		t.RawSetInt(i, L.Get(i))
	}
	t.RawSetString("n", lua.LNumber(float64(n)))
	L.Push(t)
	return 1
}

// maxUnpack bounds table.unpack like Lua's LUAI_MAXSTACK, and keeps a huge
// range from exhausting gopher-lua's registry.
const maxUnpack = 1000000

func tableUnpack(L *lua.LState) int {
	v := L.Get(1)
	i := optInteger(L, 2, "table.unpack", 1)
	var e int64
	if L.Get(3) == lua.LNil {
		e = objLen(L, v)
	} else {
		e = checkInteger(L, 3, "table.unpack")
	}
	if i > e {
		return 0
	}
	n := uint64(e) - uint64(i)
	if n >= maxUnpack {
		raise(L, "too many results to unpack")
	}
	for ; i < e; i++ {
		L.Push(geti(L, v, i))
	}
	L.Push(geti(L, v, e))
	return int(n + 1)
}

// tableMove is 5.4's table.move(a1, f, e, t [,a2]): it copies a1[f..e] into
// a2[t..] in the order that keeps overlapping ranges correct.
func tableMove(L *lua.LState) int {
	const name = "table.move"
	f := checkInteger(L, 2, name)
	e := checkInteger(L, 3, name)
	t := checkInteger(L, 4, name)
	tt := 1
	if L.Get(5) != lua.LNil {
		tt = 5
	}
	checkTab(L, 1, name, tabR)
	checkTab(L, tt, name, tabW)
	src, dst := L.Get(1), L.Get(tt)
	if e >= f {
		// Lua's LUA_MAXINTEGER here is math.maxinteger, so the errors
		// appear at the same script-visible bounds as in 5.4.
		const maxInt = int64(maxInteger)
		if !(f > 0 || e < maxInt+f) {
			argError(L, 3, name, "too many elements to move")
		}
		n := e - f + 1
		if t > maxInt-n+1 {
			argError(L, 4, name, "destination wrap around")
		}
		if t > e || t <= f || (tt != 1 && !L.Equal(src, dst)) {
			for i := int64(0); i < n; i++ {
				seti(L, dst, t+i, geti(L, src, f+i))
			}
		} else {
			for i := n - 1; i >= 0; i-- {
				seti(L, dst, t+i, geti(L, src, f+i))
			}
		}
	}
	L.Push(dst)
	return 1
}

func tableInsert(L *lua.LState) int {
	const name = "table.insert"
	e := auxGetN(L, 1, name, tabRW) + 1 // first empty element
	tbl := L.Get(1)
	var pos int64
	switch L.GetTop() {
	case 2:
		pos = e
	case 3:
		pos = checkInteger(L, 2, name)
		if uint64(pos)-1 >= uint64(e) {
			argError(L, 2, name, "position out of bounds")
		}
		for i := e; i > pos; i-- {
			seti(L, tbl, i, geti(L, tbl, i-1))
		}
	default:
		raise(L, "wrong number of arguments to 'insert'")
	}
	seti(L, tbl, pos, L.Get(L.GetTop()))
	return 0
}

func tableRemove(L *lua.LState) int {
	const name = "table.remove"
	size := auxGetN(L, 1, name, tabRW)
	tbl := L.Get(1)
	pos := optInteger(L, 2, name, size)
	if pos != size && uint64(pos)-1 > uint64(size) {
		// 5.4 reports this against argument #1.
		argError(L, 1, name, "position out of bounds")
	}
	L.Push(geti(L, tbl, pos))
	for ; pos < size; pos++ {
		seti(L, tbl, pos, geti(L, tbl, pos+1))
	}
	seti(L, tbl, pos, lua.LNil)
	return 1
}

func tableConcat(L *lua.LState) int {
	const name = "table.concat"
	last := auxGetN(L, 1, name, tabR)
	tbl := L.Get(1)
	sep := optString(L, 2, name, "")
	i := optInteger(L, 3, name, 1)
	last = optInteger(L, 4, name, last)
	var b strings.Builder
	addField := func(i int64) {
		switch v := geti(L, tbl, i).(type) {
		case lua.LString:
			b.WriteString(string(v))
		case lua.LNumber:
			b.WriteString(lua54.NumberToString(v))
		default:
			raise(L, "invalid value (%s) at index %d in table for 'concat'", v.Type().String(), i)
		}
	}
	for ; i < last; i++ {
		addField(i)
		b.WriteString(sep)
	}
	if i == last {
		addField(i)
	}
	L.Push(lua.LString(b.String()))
	return 1
}
