// Package crypto provides silly's "silly.crypto.hash", "silly.crypto.hmac",
// "silly.crypto.utils", "silly.crypto.cipher" (AES in ECB, CBC, CTR and GCM
// modes) and "silly.crypto.pkey" (RSA and EC keys from PEM or DER: sign,
// verify, RSA encrypt and decrypt) modules for gopher-lua.
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
	"crypto"
	_ "crypto/md5"    // registers crypto.MD5
	_ "crypto/sha1"   // registers crypto.SHA1
	_ "crypto/sha256" // registers crypto.SHA224 and SHA256
	_ "crypto/sha3"   // registers crypto.SHA3_*
	_ "crypto/sha512" // registers crypto.SHA384, SHA512 and the truncated SHA512s
	"fmt"
	stdhash "hash"
	"strings"

	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	lua "github.com/yuin/gopher-lua"
)

// Modules returns the Lua module loaders this package provides, keyed by require name.
func Modules() map[string]lua.LGFunction {
	return map[string]lua.LGFunction{
		"silly.crypto.hash":   loadHash,
		"silly.crypto.hmac":   loadHMAC,
		"silly.crypto.utils":  loadUtils,
		"silly.crypto.cipher": loadCipher,
		"silly.crypto.pkey":   loadPKey,
	}
}

// digestMetatable is the registry name of the hash contexts' metatable.
const digestMetatable = "silly.crypto.digest"

// evpLibrary is what OpenSSL's ERR_lib_error_string names for digest
// errors; silly appends it to its own messages.
const evpLibrary = "digital envelope routines"

// digests maps lowercase OpenSSL digest names and aliases to Go's hash
// identifiers; each one's package is imported above, which registers it.
var digests = map[string]crypto.Hash{
	"md5":  crypto.MD5,
	"sha1": crypto.SHA1, "sha-1": crypto.SHA1,
	"sha224": crypto.SHA224, "sha-224": crypto.SHA224, "sha2-224": crypto.SHA224,
	"sha256": crypto.SHA256, "sha-256": crypto.SHA256, "sha2-256": crypto.SHA256,
	"sha384": crypto.SHA384, "sha-384": crypto.SHA384, "sha2-384": crypto.SHA384,
	"sha512": crypto.SHA512, "sha-512": crypto.SHA512, "sha2-512": crypto.SHA512,
	"sha512-224": crypto.SHA512_224, "sha-512/224": crypto.SHA512_224, "sha2-512/224": crypto.SHA512_224,
	"sha512-256": crypto.SHA512_256, "sha-512/256": crypto.SHA512_256, "sha2-512/256": crypto.SHA512_256,
	"sha3-224": crypto.SHA3_224, "sha3-256": crypto.SHA3_256, "sha3-384": crypto.SHA3_384, "sha3-512": crypto.SHA3_512,
}

// checkDigest resolves the digest name at argument n, raising silly's
// error for unknown names.
func checkDigest(L *lua.LState, n int, fname string) crypto.Hash {
	name := luaarg.CheckString(L, n, fname)
	if h, ok := digests[strings.ToLower(name)]; ok {
		return h
	}
	L.RaiseError("unkonwn digest method: '%s'", name)
	return 0
}

// hashCtx is the userdata value of a context made by hash.new.
type hashCtx struct {
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
		alg := checkDigest(L, 1, "new")
		ud := L.NewUserData()
		ud.Value = &hashCtx{h: alg.New()}
		ud.Metatable = mt
		L.Push(ud)
		return 1
	}))
	mod.RawSetString("hash", L.NewFunction(func(L *lua.LState) int {
		alg := checkDigest(L, 1, "hash")
		data := luaarg.CheckString(L, 2, "hash")
		h := alg.New()
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

// checkCtx returns the hash context passed as self.
func checkCtx(L *lua.LState, fname string) *hashCtx {
	return checkSelf[*hashCtx](L, digestMetatable, fname)
}

// checkSelf returns the value of the userdata passed as self when it has
// the metatable registered under mtName, and raises luaL_checkudata's
// error otherwise.
func checkSelf[T any](L *lua.LState, mtName, fname string) T {
	if ud, ok := L.Get(1).(*lua.LUserData); ok && ud.Metatable == L.GetTypeMetatable(mtName) {
		if v, ok := ud.Value.(T); ok {
			return v
		}
	}
	luaarg.Method(fname).TypeError(L, 1, mtName)
	var zero T
	return zero
}
