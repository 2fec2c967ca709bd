package hash

import (
	lua "github.com/yuin/gopher-lua"
)

// hmacBlockSize is the block size lua-eco uses for every hash (64 bytes,
// right for md5, sha1 and sha256).
const hmacBlockSize = 64

// The error strings of eco.hash.hmac's asserts. Lua's assert raises its
// message as is, without a position prefix.
const (
	errNotHashModule = "expecting hash to be a hash module"
	errKeyNotString  = "expecting key to be a string"
	errDataNotString = "expecting data to be a string"
)

// loadHMAC builds eco.hash.hmac. Like the original (a Lua module), it works
// through the hash module's own sum/new functions and the context's
// update/final methods, so any of the three digest modules can be passed.
// A context is a plain table {ctx = <hash ctx>, hash = <module>, key = <opad key>}
// with methods update(data) and final().
func loadHMAC(L *lua.LState) int {
	methods := L.NewTable()
	methods.RawSetString("update", L.NewFunction(hmacUpdate))
	methods.RawSetString("final", L.NewFunction(hmacFinal))
	meta := L.NewTable()
	meta.RawSetString("__index", methods)

	newCtx := func(L *lua.LState, hashMod, key lua.LValue) *lua.LTable {
		if !isHashModule(L, hashMod) {
			L.Error(lua.LString(errNotHashModule), 0)
		}
		k, ok := key.(lua.LString)
		if !ok {
			L.Error(lua.LString(errKeyNotString), 0)
		}
		if len(k) > hmacBlockSize {
			k = lua.LString(callField(L, hashMod, "sum", k).String())
		}
		ipad := make([]byte, hmacBlockSize)
		opad := make([]byte, hmacBlockSize)
		for i := range ipad {
			var c byte
			if i < len(k) {
				c = k[i]
			}
			ipad[i] = c ^ 0x36
			opad[i] = c ^ 0x5c
		}
		ctx := callField(L, hashMod, "new")
		callMethod(L, ctx, "update", lua.LString(ipad))
		t := L.NewTable()
		t.RawSetString("ctx", ctx)
		t.RawSetString("hash", hashMod)
		t.RawSetString("key", lua.LString(opad))
		t.Metatable = meta
		return t
	}

	mod := L.NewTable()
	mod.RawSetString("new", L.NewFunction(func(L *lua.LState) int {
		L.Push(newCtx(L, L.Get(1), L.Get(2)))
		return 1
	}))
	mod.RawSetString("sum", L.NewFunction(func(L *lua.LState) int {
		ctx := newCtx(L, L.Get(1), L.Get(2))
		L.Push(L.GetField(ctx, "update"))
		L.Push(ctx)
		L.Push(L.Get(3))
		L.Call(2, 0)
		L.Push(L.GetField(ctx, "final"))
		L.Push(ctx)
		L.Call(1, 1)
		return 1
	}))
	L.Push(mod)
	return 1
}

// isHashModule reports whether v.mtname names one of the digest modules,
// evaluating `hash and hash.mtname` as the original does.
func isHashModule(L *lua.LState, v lua.LValue) bool {
	if !lua.LVAsBool(v) {
		return false
	}
	var mtname lua.LValue
	switch v.(type) {
	case *lua.LTable, *lua.LUserData:
		mtname = L.GetField(v, "mtname")
	case lua.LString:
		mtname = lua.LNil // strings index the string library: no mtname
	default:
		L.RaiseError("attempt to index a %s value (local 'hash')", v.Type().String())
	}
	switch mtname {
	case lua.LString(md5Algo.mtname), lua.LString(sha1Algo.mtname), lua.LString(sha256Algo.mtname):
		return true
	}
	return false
}

func hmacUpdate(L *lua.LState) int {
	self := L.Get(1)
	if _, ok := L.Get(2).(lua.LString); !ok {
		L.Error(lua.LString(errDataNotString), 0)
	}
	callMethod(L, index(L, self, "ctx"), "update", L.Get(2))
	return 0
}

func hmacFinal(L *lua.LState) int {
	self := L.Get(1)
	inner := callMethod(L, index(L, self, "ctx"), "final")
	key := index(L, self, "key")
	msg := L.Concat(key, inner) // raises Lua's concat error for bad fields
	L.Push(callField(L, index(L, self, "hash"), "sum", lua.LString(msg)))
	return 1
}

// index evaluates self.field, raising Lua's error for non-indexable values.
func index(L *lua.LState, v lua.LValue, field string) lua.LValue {
	switch v.(type) {
	case *lua.LTable, *lua.LUserData:
		return L.GetField(v, field)
	}
	L.RaiseError("attempt to index a %s value (local 'self')", v.Type().String())
	return lua.LNil
}

// callField calls obj.name(args...) and returns its first result.
func callField(L *lua.LState, obj lua.LValue, name string, args ...lua.LValue) lua.LValue {
	L.Push(L.GetField(obj, name))
	for _, a := range args {
		L.Push(a)
	}
	L.Call(len(args), 1)
	v := L.Get(-1)
	L.Pop(1)
	return v
}

// callMethod calls obj:name(args...) and returns its first result.
func callMethod(L *lua.LState, obj lua.LValue, name string, args ...lua.LValue) lua.LValue {
	L.Push(L.GetField(obj, name))
	L.Push(obj)
	for _, a := range args {
		L.Push(a)
	}
	L.Call(len(args)+1, 1)
	v := L.Get(-1)
	L.Pop(1)
	return v
}
