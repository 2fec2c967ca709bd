// Package security provides silly's "silly.security.jwt" module: JSON Web
// Tokens signed with HMAC, RSA or ECDSA. It is Lua (jwt.lua, embedded and
// compiled by the runtime's front-end when first required) over
// silly.encoding and silly.crypto, as in silly.
package security

import (
	_ "embed"

	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
)

//go:embed jwt.lua
var jwtSource []byte

// Register makes "silly.security.jwt" available to require in rt. Call it
// before any script runs.
func Register(rt *runtime.Runtime) {
	const name = "silly.security.jwt"
	rt.RegisterModule(name, func(L *lua.LState) int {
		fn, err := rt.Compile(jwtSource, "@silly/security/jwt.lua")
		if err != nil {
			L.RaiseError("%s: %v", name, err)
		}
		L.Push(fn)
		L.Call(0, 1)
		return 1
	})
}
