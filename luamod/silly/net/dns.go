package sillynet

import (
	"context"
	"errors"
	"net"
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
			s := L.CheckString(1)
			L.Push(lua.LBool(net.ParseIP(strings.Trim(s, "[]")) == nil))
			return 1
		},
		// The resolver configuration belongs to the Go runtime (it reads
		// /etc/resolv.conf and /etc/hosts itself); these accept silly's
		// calls so scripts that tune silly's resolver still run.
		"conf":     func(L *lua.LState) int { return 0 },
		"sethosts": func(L *lua.LState) int { return 0 },
	})
	mod.RawSetString("A", lua.LNumber(DNSTypeA))
	mod.RawSetString("AAAA", lua.LNumber(DNSTypeAAAA))
	mod.RawSetString("SRV", lua.LNumber(DNSTypeSRV))
	return mod
}

// Lookup resolves name to one address of qtype (A or AAAA) with Go's
// resolver, releasing the token while it waits. An IP literal is returned
// as it is, as silly does.
func Lookup(t *runtime.Task, name string, qtype int, timeout time.Duration) (string, string) {
	if ip := net.ParseIP(strings.Trim(name, "[]")); ip != nil {
		return strings.Trim(name, "[]"), ""
	}
	if name == "" || len(name) > 253 {
		return "", errDNSInvalidName
	}
	network := "ip4"
	if qtype == DNSTypeAAAA {
		network = "ip6"
	}
	var ips []net.IP
	err := t.Block(func(ctx context.Context) error {
		if timeout <= 0 {
			timeout = 5 * time.Second
		}
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		var err error
		ips, err = net.DefaultResolver.LookupIP(ctx, network, strings.ToLower(name))
		return err
	})
	if err != nil {
		return "", dnsErr(err)
	}
	if len(ips) == 0 {
		return "", errDNSNotFound
	}
	return ips[0].String(), ""
}

func dnsErr(err error) string {
	var de *net.DNSError
	if errors.As(err, &de) {
		switch {
		case de.IsNotFound:
			return errDNSNotFound
		case de.IsTimeout:
			return "Query timed out"
		}
		return de.Err
	}
	return ErrString(err)
}

// dnsResolve implements dns.resolve(name, qtype, timeout?) -> {records}:
// addresses as strings for A/AAAA, {priority, weight, port, target} for SRV.
func dnsResolve(L *lua.LState, t *runtime.Task) int {
	name := L.CheckString(1)
	qtype := L.OptInt(2, DNSTypeA)
	timeout := timeoutArg(L, 3)
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	var ips []net.IP
	var srvs []*net.SRV
	err := t.Block(func(ctx context.Context) error {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		var err error
		switch qtype {
		case DNSTypeSRV:
			_, srvs, err = net.DefaultResolver.LookupSRV(ctx, "", "", name)
		case DNSTypeAAAA:
			ips, err = net.DefaultResolver.LookupIP(ctx, "ip6", name)
		default:
			ips, err = net.DefaultResolver.LookupIP(ctx, "ip4", name)
		}
		return err
	})
	if err != nil {
		L.Push(lua.LNil)
		L.Push(lua.LString(dnsErr(err)))
		return 2
	}
	out := L.NewTable()
	for _, ip := range ips {
		out.Append(lua.LString(ip.String()))
	}
	for _, s := range srvs {
		r := L.NewTable()
		r.RawSetString("priority", lua.LNumber(s.Priority))
		r.RawSetString("weight", lua.LNumber(s.Weight))
		r.RawSetString("port", lua.LNumber(s.Port))
		r.RawSetString("target", lua.LString(strings.TrimSuffix(s.Target, ".")))
		out.Append(r)
	}
	L.Push(out)
	return 1
}
