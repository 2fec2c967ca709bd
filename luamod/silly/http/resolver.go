package sillyhttp

import (
	sillynet "github.com/golua-ws/golua-ws/luamod/silly/net"
	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
)

// Resolver is the silly.net.dns module that a module captured when it was
// loaded. silly's Lua modules keep `local dns = require "silly.net.dns"`, so
// a script that puts another table in package.loaded["silly.net.dns"] and
// then loads a module afresh (silly's testaux.with_mocked_dns) gets a module
// that resolves through that table; golua-ws's modules do the same.
type Resolver struct{ mod *lua.LTable }

// RequireResolver loads silly.net.dns through the script's require (so
// package.loaded decides, as in silly). Token required.
func RequireResolver(L *lua.LState) *Resolver {
	mod, _ := requireModule(L, "silly.net.dns").(*lua.LTable)
	return &Resolver{mod: mod}
}

// requireModule calls the script's require(name). Token required.
func requireModule(L *lua.LState, name string) lua.LValue {
	L.Push(L.GetGlobal("require"))
	L.Push(lua.LString(name))
	L.Call(1, 1)
	v := L.Get(-1)
	L.Pop(1)
	return v
}

// LookupA resolves host as silly's connects do, with dns.lookup(host,
// dns.A) of the captured module: the address, or the lookup's error text.
// Without a module table it asks silly.net.dns's Go resolver directly.
func (r *Resolver) LookupA(L *lua.LState, t *runtime.Task, host string) (string, string) {
	if r == nil || r.mod == nil {
		return sillynet.Lookup(t, host, sillynet.DNSTypeA, 0)
	}
	L.Push(L.GetField(r.mod, "lookup"))
	L.Push(lua.LString(host))
	L.Push(L.GetField(r.mod, "A"))
	L.Call(2, 2)
	ip, e := L.Get(-2), L.Get(-1)
	L.Pop(2)
	if s, ok := ip.(lua.LString); ok && s != "" {
		return string(s), ""
	}
	if e == lua.LNil {
		return "", "no address"
	}
	return "", lua.LVAsString(e)
}
