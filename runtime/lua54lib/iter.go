package lua54lib

import (
	"reflect"

	lua "github.com/yuin/gopher-lua"
)

// iterFuncs are pairs, ipairs and next with Lua 5.4's rules. next is one
// function value, returned by pairs as 5.4 returns its own next.
type iterFuncs struct {
	next, ipairsAux *lua.LFunction
}

func openIter(L *lua.LState, g *lua.LTable) {
	it := &iterFuncs{next: L.NewFunction(baseNext), ipairsAux: L.NewFunction(ipairsAux)}
	g.RawSetString("next", it.next)
	g.RawSetString("pairs", L.NewFunction(it.pairs))
	g.RawSetString("ipairs", L.NewFunction(it.ipairs))
}

// pairs(t) calls __pairs(t) for its three results when t has one, else
// returns next, t, nil (5.4 accepts any value and lets next complain).
func (it *iterFuncs) pairs(L *lua.LState) int {
	v := checkAny(L, 1, "pairs")
	if mm := L.GetMetaField(v, "__pairs"); mm != lua.LNil {
		L.Push(mm)
		L.Push(v)
		L.Call(1, 3)
		return 3
	}
	L.Push(it.next)
	L.Push(v)
	L.Push(lua.LNil)
	return 3
}

// ipairs(t) iterates t[1], t[2], ... up to the first nil, reading through
// __index as 5.4 does.
func (it *iterFuncs) ipairs(L *lua.LState) int {
	v := checkAny(L, 1, "ipairs")
	L.Push(it.ipairsAux)
	L.Push(v)
	L.Push(lua.LNumber(0))
	return 3
}

func ipairsAux(L *lua.LState) int {
	i := checkInteger(L, 2, "ipairs") + 1
	var v lua.LValue
	if t, ok := L.Get(1).(*lua.LTable); ok && t.Metatable == lua.LNil {
		v = t.RawGetInt(int(i))
	} else {
		v = L.GetTable(L.Get(1), lua.LNumber(float64(i)))
	}
	if v == lua.LNil {
		L.Push(lua.LNil)
		return 1
	}
	L.Push(lua.LNumber(float64(i)))
	L.Push(v)
	return 2
}

// baseNext is next(t [, k]), raising 5.4's "invalid key to 'next'" for a
// key that was never in t.
func baseNext(L *lua.LState) int {
	t, ok := L.Get(1).(*lua.LTable)
	if !ok {
		typeError(L, 1, "next", "table")
	}
	key := L.Get(2)
	k, v := t.Next(key)
	if key != lua.LNil && t.RawGet(key) == lua.LNil && !everKey(t, key) {
		L.Error(lua.LString("invalid key to 'next'"), 0) // no position, as in 5.4
	}
	if k == lua.LNil {
		L.Push(lua.LNil)
		return 1
	}
	L.Push(k)
	L.Push(v)
	return 2
}

// everKey reports whether key can continue a traversal of t although its
// value is nil: a slot of the array part, or a key the hash part has held
// (the script may clear fields while it traverses, as Lua allows).
// gopher-lua's LTable remembers every key its hash part ever held in the
// unexported k2i index (LTable.Next resumes from it) and exposes no way
// to ask; reading it through reflection is the only way to tell such a
// key from one never present without copying the table. Should a future
// gopher-lua drop those fields, every key counts as known and next stays
// lenient rather than wrong.
func everKey(t *lua.LTable, key lua.LValue) bool {
	tv := reflect.ValueOf(t).Elem()
	if n, ok := key.(lua.LNumber); ok {
		if arr := tv.FieldByName("array"); arr.IsValid() && arr.Kind() == reflect.Slice {
			if f := float64(n); f >= 1 && f <= float64(arr.Len()) && f == float64(int64(f)) {
				return true
			}
		}
	}
	k2i := tv.FieldByName("k2i")
	if !k2i.IsValid() || k2i.Kind() != reflect.Map {
		return true
	}
	if k2i.IsNil() {
		return false
	}
	kv := reflect.New(k2i.Type().Key()).Elem()
	if !reflect.ValueOf(key).Type().AssignableTo(kv.Type()) {
		return true
	}
	kv.Set(reflect.ValueOf(key))
	return k2i.MapIndex(kv).IsValid()
}
