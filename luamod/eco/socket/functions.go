package socket

import (
	"context"
	"encoding/binary"
	"math/bits"
	"net"
	"net/netip"
	"syscall"

	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"
)

// constants are lua-eco's socket constants (Linux values).
var constants = map[string]int{
	"AF_UNSPEC": syscall.AF_UNSPEC, "AF_INET": afInet, "AF_INET6": afInet6, "AF_UNIX": afUnix,
	"AF_PACKET": afPacket, "AF_NETLINK": afNetlink,
	"SOCK_STREAM": syscall.SOCK_STREAM, "SOCK_DGRAM": syscall.SOCK_DGRAM, "SOCK_RAW": syscall.SOCK_RAW,
	"IPPROTO_ICMP": syscall.IPPROTO_ICMP, "IPPROTO_ICMPV6": syscall.IPPROTO_ICMPV6,
	"IPPROTO_TCP": syscall.IPPROTO_TCP, "IPPROTO_UDP": syscall.IPPROTO_UDP,
	"ETH_P_ALL": syscall.ETH_P_ALL, "ETH_P_IP": syscall.ETH_P_IP, "ETH_P_ARP": syscall.ETH_P_ARP,
	"ETH_P_8021Q": syscall.ETH_P_8021Q, "ETH_P_PPP_DISC": syscall.ETH_P_PPP_DISC,
	"ETH_P_PPP_SES": syscall.ETH_P_PPP_SES, "ETH_P_IPV6": syscall.ETH_P_IPV6,
	"IFF_TUN": syscall.IFF_TUN, "IFF_TAP": syscall.IFF_TAP, "IFF_NO_PI": syscall.IFF_NO_PI,
	"ARPHRD_ETHER": syscall.ARPHRD_ETHER, "ARPHRD_LOOPBACK": syscall.ARPHRD_LOOPBACK,
	"ARPHRD_IEEE80211_RADIOTAP": syscall.ARPHRD_IEEE80211_RADIOTAP,
	"ARPOP_REQUEST":             1, "ARPOP_REPLY": 2,
	"PACKET_MR_MULTICAST": unix.PACKET_MR_MULTICAST, "PACKET_MR_PROMISC": unix.PACKET_MR_PROMISC,
	"PACKET_MR_ALLMULTI": unix.PACKET_MR_ALLMULTI, "PACKET_MR_UNICAST": unix.PACKET_MR_UNICAST,
	"ICMP_ECHOREPLY": 0, "ICMP_ECHO": 8, "ICMP_REDIRECT": 5,
	"ICMPV6_ECHO_REQUEST": 128, "ICMPV6_ECHO_REPLY": 129,
}

// internalModule is lua-eco's eco.internal.socket: the constants, the
// address helpers and socket/socketpair without options.
func internalModule(rt *runtime.Runtime, L *lua.LState) *lua.LTable {
	metatable(rt, L)
	m := L.NewTable()
	for k, v := range constants {
		m.RawSetString(k, lua.LNumber(v))
	}
	L.SetFuncs(m, addressHelpers())
	L.SetFuncs(m, map[string]lua.LGFunction{
		"socket": func(L *lua.LState) int {
			s, err := NewSocket(rt, L.CheckInt(1), L.CheckInt(2), L.OptInt(3, 0))
			if err != nil {
				return pushErr(L, ErrString(err))
			}
			L.Push(s.Push(L))
			return 1
		},
		"socketpair": func(L *lua.LState) int {
			a, b, err := NewSocketPair(rt, L.CheckInt(1), L.CheckInt(2), L.OptInt(3, 0))
			if err != nil {
				return pushErr(L, ErrString(err))
			}
			L.Push(a.Push(L))
			L.Push(b.Push(L))
			return 2
		},
	})
	return m
}

// socketModule is eco.socket: eco.internal.socket plus lua-eco's socket
// constructors, which apply an options table.
func socketModule(rt *runtime.Runtime, L *lua.LState) *lua.LTable {
	m := internalModule(rt, L)
	// create is lua-eco's socket(family, type, protocol, options).
	create := func(L *lua.LState, family, typ, proto int, opts *lua.LTable) (*Socket, string) {
		ovs := optionsFrom(L, opts, createOpts, family, typ)
		s, err := NewSocket(rt, family, typ, proto)
		if err != nil {
			return nil, ErrString(err)
		}
		if err := s.control(func(fd int) error { return applyOptions(fd, ovs) }); err != nil {
			_ = s.Close()
			return nil, err.Error()
		}
		return s, ""
	}
	ret := func(L *lua.LState, s *Socket, e string) int {
		if e != "" {
			return pushErr(L, e)
		}
		L.Push(s.Push(L))
		return 1
	}
	fixed := func(family, typ, proto int) lua.LGFunction {
		return func(L *lua.LState) int {
			s, e := create(L, family, typ, proto, nil)
			return ret(L, s, e)
		}
	}
	// familyOf is the family of an IP address argument; lua-eco raises for
	// anything else (a host name).
	familyOf := func(L *lua.LState, n int) int {
		ip := L.CheckString(n)
		if net.ParseIP(ip) == nil {
			L.ArgError(n, "not a valid IP address")
		}
		if hasColon(ip) {
			return afInet6
		}
		return afInet
	}
	L.SetFuncs(m, map[string]lua.LGFunction{
		"socket": func(L *lua.LState) int {
			s, e := create(L, L.CheckInt(1), L.CheckInt(2), L.OptInt(3, 0), optTable(L, 4))
			return ret(L, s, e)
		},
		"socketpair": func(L *lua.LState) int {
			family, typ := L.CheckInt(1), L.CheckInt(2)
			ovs := optionsFrom(L, optTable(L, 4), createOpts, family, typ)
			a, b, err := NewSocketPair(rt, family, typ, L.OptInt(3, 0))
			if err != nil {
				return pushErr(L, ErrString(err))
			}
			for _, s := range []*Socket{a, b} {
				if err := s.control(func(fd int) error { return applyOptions(fd, ovs) }); err != nil {
					_, _ = a.Close(), b.Close()
					return pushErr(L, err.Error())
				}
			}
			L.Push(a.Push(L))
			L.Push(b.Push(L))
			return 2
		},
		"tcp":        fixed(afInet, syscall.SOCK_STREAM, 0),
		"tcp6":       fixed(afInet6, syscall.SOCK_STREAM, 0),
		"udp":        fixed(afInet, syscall.SOCK_DGRAM, 0),
		"udp6":       fixed(afInet6, syscall.SOCK_DGRAM, 0),
		"icmp":       fixed(afInet, syscall.SOCK_DGRAM, syscall.IPPROTO_ICMP),
		"icmp6":      fixed(afInet6, syscall.SOCK_DGRAM, syscall.IPPROTO_ICMPV6),
		"unix":       fixed(afUnix, syscall.SOCK_STREAM, 0),
		"unix_dgram": fixed(afUnix, syscall.SOCK_DGRAM, 0),
		"open_tun":   openTun(rt),
		"netlink": func(L *lua.LState) int {
			s, e := create(L, afNetlink, syscall.SOCK_RAW, L.CheckInt(1), nil)
			return ret(L, s, e)
		},
		"listen_tcp": func(L *lua.LState) int {
			ln, e := listenTCP(rt, L, 1)
			if e != "" {
				return pushErr(L, e)
			}
			s := wrapListener(rt, ln, nil)
			s.family, s.stype = afInet, syscall.SOCK_STREAM
			if a, ok := ln.Addr().(*net.TCPAddr); ok && a.IP.To4() == nil {
				s.family = afInet6
			}
			L.Push(s.Push(L))
			return 1
		},
		"connect_tcp": func(L *lua.LState) int {
			family := familyOf(L, 1)
			addr := hostPort(L, 1)
			ovs := optionsFrom(L, optTable(L, 3), createOpts, family, syscall.SOCK_STREAM)
			t := rt.MustTask(L)
			var c net.Conn
			err := t.Block(func(ctx context.Context) error {
				d := net.Dialer{Timeout: connectTimeout, Control: controlOptions(ovs)}
				var err error
				c, err = d.DialContext(ctx, "tcp", addr)
				return err
			})
			if err != nil {
				return pushErr(L, ErrString(err))
			}
			s := Wrap(rt, c, nil)
			s.family, s.stype, s.established = family, syscall.SOCK_STREAM, true
			L.Push(s.Push(L))
			return 1
		},
		"listen_udp": func(L *lua.LState) int {
			L.CheckInt(2) // argument errors before a socket exists
			opts := optTable(L, 3)
			family := afInet
			if opts != nil && lua.LVAsBool(opts.RawGetString("ipv6")) {
				family = afInet6
			}
			s, e := create(L, family, syscall.SOCK_DGRAM, 0, opts)
			if e != "" {
				return pushErr(L, e)
			}
			if sa, e := sockaddrArgs(L, s, 1); e != "" {
				_ = s.Close()
				return pushErr(L, e)
			} else if err := s.Bind(sa); err != nil {
				_ = s.Close()
				return pushErr(L, ErrString(err))
			}
			L.Push(s.Push(L))
			return 1
		},
		"connect_udp": func(L *lua.LState) int {
			family := familyOf(L, 1)
			L.CheckInt(2)
			s, e := create(L, family, syscall.SOCK_DGRAM, 0, optTable(L, 3))
			if e != "" {
				return pushErr(L, e)
			}
			sa, _ := sockaddrArgs(L, s, 1)
			if err := s.Connect(rt.MustTask(L), sa); err != nil {
				_ = s.Close()
				return pushErr(L, ErrString(err))
			}
			L.Push(s.Push(L))
			return 1
		},
		"listen_unix": func(L *lua.LState) int {
			L.CheckString(1)
			opts := optTable(L, 2)
			s, e := create(L, afUnix, syscall.SOCK_STREAM, 0, nil)
			if e != "" {
				return pushErr(L, e)
			}
			sa, _ := sockaddrArgs(L, s, 1)
			if err := s.Bind(sa); err != nil {
				_ = s.Close()
				return pushErr(L, ErrString(err))
			}
			backlog := syscall.SOMAXCONN
			if opts != nil {
				if n, ok := opts.RawGetString("backlog").(lua.LNumber); ok {
					backlog = int(n)
				}
			}
			if err := s.Listen(backlog); err != nil {
				_ = s.Close()
				return pushErr(L, ErrString(err))
			}
			L.Push(s.Push(L))
			return 1
		},
		"connect_unix": func(L *lua.LState) int {
			L.CheckString(1)
			if v := L.Get(2); v != lua.LNil {
				L.CheckString(2)
			}
			s, e := create(L, afUnix, syscall.SOCK_STREAM, 0, nil)
			if e != "" {
				return pushErr(L, e)
			}
			if L.Get(2) != lua.LNil {
				sa, _ := sockaddrArgs(L, s, 2)
				if err := s.Bind(sa); err != nil {
					_ = s.Close()
					return pushErr(L, ErrString(err))
				}
			}
			sa, _ := sockaddrArgs(L, s, 1)
			if err := s.Connect(rt.MustTask(L), sa); err != nil {
				_ = s.Close()
				return pushErr(L, ErrString(err))
			}
			L.Push(s.Push(L))
			return 1
		},
	})
	return m
}

func optTable(L *lua.LState, n int) *lua.LTable {
	t, _ := L.Get(n).(*lua.LTable)
	return t
}

// controlOptions is a Dialer or ListenConfig Control function that sets
// ovs on the new socket before it connects or binds.
func controlOptions(ovs []optValue) func(string, string, syscall.RawConn) error {
	if len(ovs) == 0 {
		return nil
	}
	return func(_, _ string, c syscall.RawConn) error {
		var aerr error
		if err := c.Control(func(fd uintptr) { aerr = applyOptions(int(fd), ovs) }); err != nil {
			return err
		}
		return aerr
	}
}

// addressHelpers are lua-eco's address functions: is_*_address, inet_*,
// byte-order conversions and interface name/index lookups.
func addressHelpers() map[string]lua.LGFunction {
	isIP := func(want4, want6 bool) lua.LGFunction {
		return func(L *lua.LState) int {
			a, err := netip.ParseAddr(L.CheckString(1))
			ok := err == nil && a.Zone() == "" && ((want4 && a.Is4()) || (want6 && a.Is6()))
			L.Push(lua.LBool(ok))
			return 1
		}
	}
	// C's inet_aton gives s_addr: the address bytes in memory order, read
	// as a host (little-endian) integer.
	return map[string]lua.LGFunction{
		"is_ip_address":   isIP(true, true),
		"is_ipv4_address": isIP(true, false),
		"is_ipv6_address": isIP(false, true),
		"inet_aton": func(L *lua.LState) int {
			a, err := netip.ParseAddr(L.CheckString(1))
			if err != nil || !a.Is4() {
				L.Push(lua.LNil)
				return 1
			}
			b := a.As4()
			L.Push(lua.LNumber(binary.LittleEndian.Uint32(b[:])))
			return 1
		},
		"inet_ntoa": func(L *lua.LState) int {
			var b [4]byte
			binary.LittleEndian.PutUint32(b[:], uint32(L.CheckInt64(1)))
			L.Push(lua.LString(netip.AddrFrom4(b).String()))
			return 1
		},
		"inet_pton": func(L *lua.LState) int {
			family := L.CheckInt(1)
			if family != afInet && family != afInet6 {
				L.ArgError(1, "family must be AF_INET or AF_INET6")
			}
			a, err := netip.ParseAddr(L.CheckString(2))
			switch {
			case err != nil || a.Zone() != "":
				L.Push(lua.LNil)
			case family == afInet && a.Is4():
				b := a.As4()
				L.Push(lua.LString(b[:]))
			case family == afInet6 && a.Is6():
				b := a.As16()
				L.Push(lua.LString(b[:]))
			default:
				L.Push(lua.LNil)
			}
			return 1
		},
		"inet_ntop": func(L *lua.LState) int {
			family := L.CheckInt(1)
			if family != afInet && family != afInet6 {
				L.ArgError(1, "family must be AF_INET or AF_INET6")
			}
			b := L.CheckString(2)
			size := 4
			if family == afInet6 {
				size = 16
			}
			if len(b) < size {
				L.ArgError(2, "address too short")
			}
			if size == 4 {
				L.Push(lua.LString(netip.AddrFrom4([4]byte([]byte(b[:4]))).String()))
			} else {
				L.Push(lua.LString(netip.AddrFrom16([16]byte([]byte(b[:16]))).String()))
			}
			return 1
		},
		"if_nametoindex": func(L *lua.LState) int {
			ifi, err := net.InterfaceByName(L.CheckString(1))
			if err != nil {
				L.Push(lua.LNil)
				return 1
			}
			L.Push(lua.LNumber(ifi.Index))
			return 1
		},
		"if_indextoname": func(L *lua.LState) int {
			ifi, err := net.InterfaceByIndex(L.CheckInt(1))
			if err != nil {
				L.Push(lua.LNil)
				return 1
			}
			L.Push(lua.LString(ifi.Name))
			return 1
		},
		"htonl": func(L *lua.LState) int { L.Push(lua.LNumber(bits.ReverseBytes32(uint32(L.CheckInt64(1))))); return 1 },
		"ntohl": func(L *lua.LState) int { L.Push(lua.LNumber(bits.ReverseBytes32(uint32(L.CheckInt64(1))))); return 1 },
		"htons": func(L *lua.LState) int { L.Push(lua.LNumber(bits.ReverseBytes16(uint16(L.CheckInt64(1))))); return 1 },
		"ntohs": func(L *lua.LState) int { L.Push(lua.LNumber(bits.ReverseBytes16(uint16(L.CheckInt64(1))))); return 1 },
	}
}
