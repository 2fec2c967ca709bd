package crypto

import (
	"crypto/hmac"

	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	lua "github.com/yuin/gopher-lua"
)

// loadHMAC builds silly.crypto.hmac: digest(key, msg, alg) returns the raw
// HMAC of msg under key with the named digest.
func loadHMAC(L *lua.LState) int {
	mod := L.NewTable()
	mod.RawSetString("digest", L.NewFunction(func(L *lua.LState) int {
		key := luaarg.CheckString(L, 1, "digest")
		msg := luaarg.CheckString(L, 2, "digest")
		alg := checkDigest(L, 3, "digest")
		m := hmac.New(alg.New, []byte(key))
		m.Write([]byte(msg))
		L.Push(lua.LString(m.Sum(nil)))
		return 1
	}))
	L.Push(mod)
	return 1
}
