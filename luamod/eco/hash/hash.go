// Package hash provides lua-eco's "eco.hash.md5", "eco.hash.sha1",
// "eco.hash.sha256" and "eco.hash.hmac" modules for gopher-lua.
//
// Each digest module is a table {mtname = <string>, sum = fn, new = fn}:
// sum(data) returns the raw digest, new() a context with ctx:update(data)
// (returns nothing) and ctx:final() (returns the raw digest). The contexts
// are userdata whose metatable is registered under mtname, as in lua-eco,
// so hmac.new can recognise the module it is given.
//
// One deliberate difference: after ctx:final() the context starts over as
// an empty hash. lua-eco leaves it in an algorithm-specific state (md5 is
// zeroed, sha1/sha256 keep their padded state), whose later results are of
// no use to anyone.
package hash

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"fmt"
	stdhash "hash"

	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	lua "github.com/yuin/gopher-lua"
)

// Modules returns the Lua module loaders this package provides, keyed by require name.
func Modules() map[string]lua.LGFunction {
	return map[string]lua.LGFunction{
		"eco.hash.md5":    digestLoader(md5Algo),
		"eco.hash.sha1":   digestLoader(sha1Algo),
		"eco.hash.sha256": digestLoader(sha256Algo),
		"eco.hash.hmac":   loadHMAC,
	}
}

// algorithm describes one digest module.
type algorithm struct {
	mtname string // the module's mtname field and the contexts' metatable name
	newFn  func() stdhash.Hash
	sum    func([]byte) []byte
}

// The mtname strings are lua-eco's C struct names; scripts compare them.
var (
	md5Algo = algorithm{"struct md5_ctx *", md5.New, func(b []byte) []byte {
		s := md5.Sum(b)
		return s[:]
	}}
	sha1Algo = algorithm{"struct sha1_ctx *", sha1.New, func(b []byte) []byte {
		s := sha1.Sum(b)
		return s[:]
	}}
	sha256Algo = algorithm{"struct sha256_ctx *", sha256.New, func(b []byte) []byte {
		s := sha256.Sum256(b)
		return s[:]
	}}
)

// digestLoader returns the loader of one digest module.
func digestLoader(a algorithm) lua.LGFunction {
	return func(L *lua.LState) int {
		mt := contextMetatable(L, a)
		mod := L.NewTable()
		mod.RawSetString("mtname", lua.LString(a.mtname))
		mod.RawSetString("sum", L.NewFunction(func(L *lua.LState) int {
			data := luaarg.CheckString(L, 1, "sum")
			L.Push(lua.LString(a.sum([]byte(data))))
			return 1
		}))
		mod.RawSetString("new", L.NewFunction(func(L *lua.LState) int {
			ud := L.NewUserData()
			ud.Value = a.newFn()
			ud.Metatable = mt
			L.Push(ud)
			return 1
		}))
		L.Push(mod)
		return 1
	}
}

// contextMetatable returns the VM's metatable for a's contexts, creating it
// on first use; it lives in the registry under a.mtname like luaL_newmetatable.
func contextMetatable(L *lua.LState, a algorithm) *lua.LTable {
	if mt, ok := L.GetTypeMetatable(a.mtname).(*lua.LTable); ok {
		return mt
	}
	mt := L.NewTypeMetatable(a.mtname)
	methods := L.NewTable()
	methods.RawSetString("update", L.NewFunction(func(L *lua.LState) int {
		h := checkContext(L, a, "update")
		data := luaarg.Method("update").CheckString(L, 2)
		h.Write([]byte(data))
		return 0
	}))
	methods.RawSetString("final", L.NewFunction(func(L *lua.LState) int {
		h := checkContext(L, a, "final")
		L.Push(lua.LString(h.Sum(nil)))
		h.Reset()
		return 1
	}))
	mt.RawSetString("__index", methods)
	mt.RawSetString("__name", lua.LString(a.mtname))
	mt.RawSetString("__tostring", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString(fmt.Sprintf("%s: %p", a.mtname, L.CheckUserData(1))))
		return 1
	}))
	return mt
}

// checkContext returns the hash state of the context passed as self, or
// raises the error luaL_checkudata would.
func checkContext(L *lua.LState, a algorithm, fname string) stdhash.Hash {
	if ud, ok := L.Get(1).(*lua.LUserData); ok && ud.Metatable == L.GetTypeMetatable(a.mtname) {
		if h, ok := ud.Value.(stdhash.Hash); ok {
			return h
		}
	}
	luaarg.Method(fname).TypeError(L, 1, a.mtname)
	return nil
}
