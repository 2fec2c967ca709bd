package sillynet

import (
	"net"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// ParseAddr splits silly's "ip:port", "[v6]:port" or ":port" into a Go
// dial/listen address. silly resolves with AI_NUMERICHOST, so a host name is
// an error (ErrResolve) and a missing port is ErrInval.
func ParseAddr(addr string) (string, string) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		if strings.Contains(err.Error(), "missing port") {
			return "", ErrInval
		}
		return "", ErrResolve
	}
	if port == "" {
		return "", ErrInval
	}
	if host == "" {
		return net.JoinHostPort("::", port), ""
	}
	if net.ParseIP(host) == nil {
		return "", ErrResolve
	}
	return net.JoinHostPort(host, port), ""
}

// SplitAddr splits silly's address syntax into host and port the way
// silly.net.addr.parse does: "[host]" or "[host]:port" (brackets removed),
// else everything before the first ':' is the host. An empty host or port
// comes back as "" with its ok flag false; a '[' without its ']' (or a ']'
// followed by anything but ':') is malformed (ok false).
func SplitAddr(addr string) (host, port string, hasPort, ok bool) {
	if addr == "" {
		return "", "", false, false
	}
	var rest string
	if addr[0] == '[' {
		end := strings.IndexByte(addr, ']')
		if end < 0 || (end+1 < len(addr) && addr[end+1] != ':') {
			return "", "", false, false
		}
		host = addr[1:end]
		if end+2 <= len(addr) {
			rest = addr[end+2:]
		}
	} else if i := strings.IndexByte(addr, ':'); i >= 0 {
		host, rest = addr[:i], addr[i+1:]
	} else {
		host = addr
	}
	return host, rest, rest != "", true
}

// IPType is silly.net.addr.iptype: 4 or 6 for an IPv4 or IPv6 literal
// (inet_pton's syntax: no zone, no leading zeros), 0 for anything else.
func IPType(host string) int {
	if strings.Contains(host, "%") {
		return 0
	}
	ip := net.ParseIP(host)
	switch {
	case ip == nil:
		return 0
	case strings.Contains(host, ":"):
		return 6
	default:
		return 4
	}
}

// JoinAddr is silly.net.addr.join: host and port with ':' between, an IPv6
// host in brackets (unless it has them already), ":port" for an empty host.
func JoinAddr(host, port string) string {
	switch {
	case host == "":
		return ":" + port
	case host[0] != '[' && strings.Contains(host, ":"):
		return "[" + host + "]:" + port
	}
	return host + ":" + port
}

// addrModule is silly.net.addr.
func addrModule(L *lua.LState) *lua.LTable {
	return L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"parse": func(L *lua.LState) int {
			host, port, hasPort, ok := SplitAddr(L.CheckString(1))
			if !ok {
				L.Push(lua.LNil)
				L.Push(lua.LNil)
				return 2
			}
			pushOpt := func(s string, present bool) {
				if present {
					L.Push(lua.LString(s))
				} else {
					L.Push(lua.LNil)
				}
			}
			pushOpt(host, host != "")
			pushOpt(port, hasPort)
			return 2
		},
		"join": func(L *lua.LState) int {
			L.Push(lua.LString(JoinAddr(L.OptString(1, ""), L.CheckString(2))))
			return 1
		},
		"iptype": func(L *lua.LState) int {
			L.Push(lua.LNumber(IPType(L.CheckString(1))))
			return 1
		},
		"isv4": func(L *lua.LState) int {
			L.Push(lua.LBool(IPType(L.CheckString(1)) == 4))
			return 1
		},
		"isv6": func(L *lua.LState) int {
			L.Push(lua.LBool(IPType(L.CheckString(1)) == 6))
			return 1
		},
		"ishost": func(L *lua.LState) int {
			h := L.CheckString(1)
			L.Push(lua.LBool(h != "" && IPType(h) == 0))
			return 1
		},
	})
}
