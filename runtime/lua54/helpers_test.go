package lua54

import (
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// runLua compiles src with Compile and runs it on a fresh LState, returning
// what print wrote.
func runLua(t testing.TB, src string) (string, error) {
	t.Helper()
	L := lua.NewState()
	defer L.Close()
	OpenRuntime(L)
	var out strings.Builder
	L.SetGlobal("print", L.NewFunction(func(L *lua.LState) int {
		for i := 1; i <= L.GetTop(); i++ {
			if i > 1 {
				out.WriteByte('\t')
			}
			out.WriteString(L.ToStringMeta(L.Get(i)).String())
		}
		out.WriteByte('\n')
		return 0
	}))
	proto, err := Compile([]byte(src), "@test.lua")
	if err != nil {
		return out.String(), err
	}
	L.Push(L.NewFunctionFromProto(proto))
	err = L.PCall(0, lua.MultRet, nil)
	return out.String(), err
}
