package core

import (
	_ "embed"

	lua "github.com/yuin/gopher-lua"
)

//go:embed patch.lua
var patchSource []byte

// openPatch returns silly.patch, written in Lua over the debug library
// with three helpers for the environment gopher-lua keeps per function
// where Lua 5.4 has an _ENV upvalue.
func (s *state) openPatch(L *lua.LState) int {
	fn, err := s.rt.Compile(patchSource, "@silly/patch.lua")
	if err != nil {
		L.RaiseError("silly.patch: %v", err)
	}
	glue := L.NewTable()
	L.SetFuncs(glue, map[string]lua.LGFunction{
		"usesglobals": func(L *lua.LState) int {
			fn := L.CheckFunction(1)
			L.Push(lua.LBool(!fn.IsG && protoUsesGlobals(fn.Proto)))
			return 1
		},
		"getenv": func(L *lua.LState) int {
			L.Push(checkLuaFunction(L, 1).Env)
			return 1
		},
		"setenv": func(L *lua.LState) int {
			checkLuaFunction(L, 1).Env = L.CheckTable(2)
			return 0
		},
	})
	L.Push(fn)
	L.Push(glue)
	L.Call(1, 1)
	return 1
}

func checkLuaFunction(L *lua.LState, n int) *lua.LFunction {
	fn := L.CheckFunction(n)
	if fn.IsG {
		L.ArgError(n, "Lua function expected")
	}
	return fn
}

// protoUsesGlobals reports whether a function, or a function nested in it,
// reads or writes a global: in Lua 5.4 exactly those have an _ENV upvalue.
func protoUsesGlobals(p *lua.FunctionProto) bool {
	for _, inst := range p.Code {
		// gopher-lua keeps the opcode in the top six bits.
		if op := int(inst >> 26); op == lua.OP_GETGLOBAL || op == lua.OP_SETGLOBAL {
			return true
		}
	}
	for _, child := range p.FunctionPrototypes {
		if protoUsesGlobals(child) {
			return true
		}
	}
	return false
}
