package crypto

import (
	"math/rand/v2"

	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	lua "github.com/yuin/gopher-lua"
)

// maxRandomKey bounds randomkey's length; silly would fail to allocate
// long before, with "not enough memory".
const maxRandomKey = 1 << 30

func loadUtils(L *lua.LState) int {
	mod := L.NewTable()
	mod.RawSetString("xor", L.NewFunction(xor))
	mod.RawSetString("randomkey", L.NewFunction(randomKey))
	L.Push(mod)
	return 1
}

// xor implements utils.xor(key, data): data XORed with key repeated; the
// result is as long as data. The key comes first and must not be empty.
func xor(L *lua.LState) int {
	key := luaarg.CheckString(L, 1, "xor")
	data := luaarg.CheckString(L, 2, "xor")
	if key == "" {
		luaarg.Error(L, 1, "xor", "crypto.xor key can't be empty")
	}
	out := make([]byte, len(data))
	for i := range out {
		out[i] = data[i] ^ key[i%len(key)]
	}
	L.Push(lua.LString(out))
	return 1
}

// randomKey implements utils.randomkey(n): n random lowercase letters.
// Like silly's (libc random()), it is not meant for secrets.
func randomKey(L *lua.LState) int {
	n := luaarg.CheckInteger(L, 1, "randomkey")
	if n < 0 || n > maxRandomKey {
		L.Error(lua.LString("not enough memory"), 0) // a memory error carries no position
	}
	out := make([]byte, n)
	for i := range out {
		out[i] = byte('a' + rand.IntN(26))
	}
	L.Push(lua.LString(out))
	return 1
}
