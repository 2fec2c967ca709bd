package socket

import (
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
	L.SetFuncs(m, internalExtras(rt))
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

// internalExtras are eco.internal.socket functions golua-ws adds for its
// eco.socket layer (socket.lua): listen_tcp keeps Go's listener, which
// shares the port between --workers, and open_tun returns the device as a
// socket (lua-eco's returns a bare fd).
func internalExtras(rt *runtime.Runtime) map[string]lua.LGFunction {
	return map[string]lua.LGFunction{
		"listen_tcp": func(L *lua.LState) int {
			ln, e := listenTCP(rt, L, 1)
			if e != "" {
				return pushErr(L, e)
			}
			s := wrapListener(rt, ln)
			s.family, s.stype = afInet, syscall.SOCK_STREAM
			if a, ok := ln.Addr().(*net.TCPAddr); ok && a.IP.To4() == nil {
				s.family = afInet6
			}
			L.Push(s.Push(L))
			return 1
		},
		"open_tun": func(L *lua.LState) int {
			dev := L.OptString(1, "")
			if len(dev) >= unix.IFNAMSIZ {
				L.ArgError(1, "device name too long")
			}
			s, name, err := OpenTun(rt, dev, uint16(L.CheckInt(2)))
			if err != nil {
				return pushErr(L, ErrString(err))
			}
			L.Push(s.Push(L))
			L.Push(lua.LString(name))
			return 2
		},
	}
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
