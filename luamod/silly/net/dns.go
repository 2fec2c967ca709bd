package sillynet

import (
	"context"
	"strings"
	"time"

	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
)

// Query types, as silly numbers them (the DNS RR type codes).
const (
	DNSTypeA    = 1
	DNSTypeAAAA = 28
	DNSTypeSRV  = 33
)

// dns error strings from silly's dns.lua.
const (
	errDNSInvalidName = "Invalid name"
	errDNSNotFound    = "Not found"
)

// resolverOf returns the VM's resolver, made from the system configuration
// on first use and closed when the runtime shuts down.
func resolverOf(L *lua.LState, rt *runtime.Runtime) *Resolver {
	st := stateOf(L, rt)
	if st.resolver == nil {
		st.resolver = systemResolver()
		r := st.resolver
		context.AfterFunc(rt.Context(), r.Close)
	}
	return st.resolver
}

func dnsModule(L *lua.LState, rt *runtime.Runtime) *lua.LTable {
	mod := L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"lookup": func(L *lua.LState) int {
			t := rt.MustTask(L)
			name := L.CheckString(1)
			qtype := L.OptInt(2, DNSTypeA)
			ip, e := Lookup(t, name, qtype, timeoutArg(L, 3))
			if e != "" {
				L.Push(lua.LNil)
				L.Push(lua.LString(e))
				return 2
			}
			L.Push(lua.LString(ip))
			return 1
		},
		"resolve": func(L *lua.LState) int {
			t := rt.MustTask(L)
			return dnsResolve(L, t)
		},
		"isname": func(L *lua.LState) int {
			L.Push(lua.LBool(IPType(L.CheckString(1)) == 0))
			return 1
		},
		"conf": func(L *lua.LState) int {
			opts := L.CheckTable(1)
			conf := DNSConf{
				Nameservers: StringList(opts.RawGetString("nameservers")),
				Search:      StringList(opts.RawGetString("search")),
				Options:     map[string]int{},
			}
			for _, k := range []string{"timeout", "attempts", "ndots"} {
				if n, ok := opts.RawGetString(k).(lua.LNumber); ok {
					conf.Options[k] = int(n)
				}
			}
			resolverOf(L, rt).Configure(conf)
			return 0
		},
		"sethosts": func(L *lua.LState) int {
			resolverOf(L, rt).SetHosts(L.CheckString(1))
			return 0
		},
	})
	mod.RawSetString("A", lua.LNumber(DNSTypeA))
	mod.RawSetString("AAAA", lua.LNumber(DNSTypeAAAA))
	mod.RawSetString("SRV", lua.LNumber(DNSTypeSRV))
	return mod
}

// resolve runs the resolver without the VM token.
func resolve(t *runtime.Task, name string, qtype int, timeout time.Duration) ([]any, string) {
	r := resolverOf(t.L, t.Runtime())
	var data []any
	var e string
	_ = t.Block(func(ctx context.Context) error {
		data, e = r.Resolve(ctx, name, uint16(qtype), timeout)
		return nil
	})
	return data, e
}

// Lookup resolves name to its first address of qtype (A or AAAA) with
// silly's resolver (dns.lookup), releasing the token while it waits. An IP
// literal is returned as it is. An empty answer (NXDOMAIN, or no records of
// qtype) gives "Not found", where silly returns nil without an error.
func Lookup(t *runtime.Task, name string, qtype int, timeout time.Duration) (string, string) {
	if IPType(name) != 0 {
		return name, ""
	}
	// A URL's host keeps an IPv6 literal in brackets.
	if inner, ok := strings.CutPrefix(name, "["); ok && strings.HasSuffix(inner, "]") && IPType(inner[:len(inner)-1]) == 6 {
		return inner[:len(inner)-1], ""
	}
	data, e := resolve(t, name, qtype, timeout)
	if e != "" {
		return "", e
	}
	if len(data) == 0 {
		return "", errDNSNotFound
	}
	s, _ := data[0].(string)
	return s, ""
}

// dnsResolve implements dns.resolve(name, qtype, timeout?) -> {records}:
// addresses as strings for A/AAAA, {priority, weight, port, target} for SRV.
func dnsResolve(L *lua.LState, t *runtime.Task) int {
	name := L.CheckString(1)
	qtype := L.OptInt(2, DNSTypeA)
	data, e := resolve(t, name, qtype, timeoutArg(L, 3))
	if e != "" {
		L.Push(lua.LNil)
		L.Push(lua.LString(e))
		return 2
	}
	out := L.CreateTable(len(data), 0)
	for _, d := range data {
		switch v := d.(type) {
		case string:
			out.Append(lua.LString(v))
		case dnsSRV:
			r := L.CreateTable(0, 4)
			r.RawSetString("priority", lua.LNumber(v.priority))
			r.RawSetString("weight", lua.LNumber(v.weight))
			r.RawSetString("port", lua.LNumber(v.port))
			r.RawSetString("target", lua.LString(v.target))
			out.Append(r)
		}
	}
	L.Push(out)
	return 1
}
