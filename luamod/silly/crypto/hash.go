// Package crypto provides silly's "silly.crypto.hash", "silly.crypto.hmac"
// and "silly.crypto.utils" modules for gopher-lua.
//
// silly binds OpenSSL; here the digests come from Go's standard library:
// md5, sha1, sha224, sha256, sha384, sha512, sha512-224, sha512-256 and
// sha3-224/256/384/512, looked up case-insensitively under their OpenSSL
// names and aliases ("SHA256", "sha-256", "sha2-256", ...). Any other name
// raises silly's (misspelt) "unkonwn digest method: '<name>'".
//
// A hash context that has been finalised behaves as under OpenSSL 3.2 and
// later: update and final raise until reset (digest resets by itself).
package crypto

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
	"fmt"
	stdhash "hash"
	"strings"

	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	lua "github.com/yuin/gopher-lua"
)

// Modules returns the Lua module loaders this package provides, keyed by require name.
func Modules() map[string]lua.LGFunction {
	return map[string]lua.LGFunction{
		"silly.crypto.hash":  loadHash,
		"silly.crypto.hmac":  loadHMAC,
		"silly.crypto.utils": loadUtils,
	}
}

// digestMetatable is the registry name of the hash contexts' metatable.
const digestMetatable = "silly.crypto.digest"

// evpLibrary is what OpenSSL's ERR_lib_error_string names for digest
// errors; silly appends it to its own messages.
const evpLibrary = "digital envelope routines"

func sha3New224() stdhash.Hash { return sha3.New224() }
func sha3New256() stdhash.Hash { return sha3.New256() }
func sha3New384() stdhash.Hash { return sha3.New384() }
func sha3New512() stdhash.Hash { return sha3.New512() }

// digests maps lowercase OpenSSL digest names and aliases to constructors.
var digests = map[string]func() stdhash.Hash{
	"md5":  md5.New,
	"sha1": sha1.New, "sha-1": sha1.New,
	"sha224": sha256.New224, "sha-224": sha256.New224, "sha2-224": sha256.New224,
	"sha256": sha256.New, "sha-256": sha256.New, "sha2-256": sha256.New,
	"sha384": sha512.New384, "sha-384": sha512.New384, "sha2-384": sha512.New384,
	"sha512": sha512.New, "sha-512": sha512.New, "sha2-512": sha512.New,
	"sha512-224": sha512.New512_224, "sha-512/224": sha512.New512_224, "sha2-512/224": sha512.New512_224,
	"sha512-256": sha512.New512_256, "sha-512/256": sha512.New512_256, "sha2-512/256": sha512.New512_256,
	"sha3-224": sha3New224, "sha3-256": sha3New256, "sha3-384": sha3New384, "sha3-512": sha3New512,
}

// checkDigest resolves the digest name at argument n, raising silly's
// error for unknown names.
func checkDigest(L *lua.LState, n int, fname string) func() stdhash.Hash {
	name := luaarg.CheckString(L, n, fname)
	if f, ok := digests[strings.ToLower(name)]; ok {
		return f
	}
	L.RaiseError("unkonwn digest method: '%s'", name)
	return nil
}

// hashCtx is the userdata value of a context made by hash.new.
type hashCtx struct {
	newFn     func() stdhash.Hash
	h         stdhash.Hash
	finalised bool
}

func loadHash(L *lua.LState) int {
	mod := L.NewTable()
	mt := L.NewTypeMetatable(digestMetatable)
	mt.RawSetString("__name", lua.LString(digestMetatable))
	// As in silly, the module table doubles as the contexts' method table.
	mt.RawSetString("__index", mod)

	mod.RawSetString("new", L.NewFunction(func(L *lua.LState) int {
		newFn := checkDigest(L, 1, "new")
		ud := L.NewUserData()
		ud.Value = &hashCtx{newFn: newFn, h: newFn()}
		ud.Metatable = mt
		L.Push(ud)
		return 1
	}))
	mod.RawSetString("hash", L.NewFunction(func(L *lua.LState) int {
		newFn := checkDigest(L, 1, "hash")
		data := luaarg.CheckString(L, 2, "hash")
		h := newFn()
		h.Write([]byte(data))
		L.Push(lua.LString(h.Sum(nil)))
		return 1
	}))
	mod.RawSetString("reset", L.NewFunction(func(L *lua.LState) int {
		c := checkCtx(L, "reset")
		c.h.Reset()
		c.finalised = false
		return 0
	}))
	mod.RawSetString("update", L.NewFunction(func(L *lua.LState) int {
		c := checkCtx(L, "update")
		data := luaarg.Method("update").CheckString(L, 2)
		if c.finalised {
			L.RaiseError("hash update error: %s", evpLibrary)
		}
		c.h.Write([]byte(data))
		return 0
	}))
	mod.RawSetString("final", L.NewFunction(func(L *lua.LState) int {
		c := checkCtx(L, "final")
		if c.finalised {
			L.RaiseError("hash final error: %s", evpLibrary)
		}
		c.finalised = true
		L.Push(lua.LString(c.h.Sum(nil)))
		return 1
	}))
	mod.RawSetString("digest", L.NewFunction(func(L *lua.LState) int {
		c := checkCtx(L, "digest")
		data := luaarg.Method("digest").CheckString(L, 2)
		c.h.Reset()
		c.h.Write([]byte(data))
		c.finalised = true
		L.Push(lua.LString(c.h.Sum(nil)))
		return 1
	}))
	mt.RawSetString("__tostring", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString(fmt.Sprintf("%s: %p", digestMetatable, L.CheckUserData(1))))
		return 1
	}))
	L.Push(mod)
	return 1
}

// checkCtx returns the context passed as self, raising luaL_checkudata's error.
func checkCtx(L *lua.LState, fname string) *hashCtx {
	if ud, ok := L.Get(1).(*lua.LUserData); ok && ud.Metatable == L.GetTypeMetatable(digestMetatable) {
		if c, ok := ud.Value.(*hashCtx); ok {
			return c
		}
	}
	luaarg.Method(fname).TypeError(L, 1, digestMetatable)
	return nil
}
