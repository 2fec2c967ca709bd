// Package packet provides the ICMP part of lua-eco's "eco.packet": building
// ICMP and ICMPv6 echo packets (icmp, icmp6) and decoding ICMP and ICMPv6
// packets (from_icmp, from_icmp6), which is what eco.net's ping needs. The
// rest of lua-eco's eco.packet (Ethernet, IP, ARP, TCP/UDP, radiotap and
// their builders) is not provided.
package packet

import (
	"encoding/binary"
	"net/netip"

	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
)

// ICMP message types (RFC 792, RFC 4443).
const (
	icmpEchoReply    = 0
	icmpRedirect     = 5
	icmpEcho         = 8
	icmp6EchoRequest = 128
	icmp6EchoReply   = 129
)

// Register makes "eco.packet" available to require in rt.
func Register(rt *runtime.Runtime) {
	rt.RegisterModule("eco.packet", func(L *lua.LState) int {
		L.Push(L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
			"icmp":       buildEcho(icmpEcho, icmpEchoReply),
			"icmp6":      buildEcho(icmp6EchoRequest, icmp6EchoReply),
			"from_icmp":  decode("ICMP", icmpEcho, icmpEchoReply),
			"from_icmp6": decode("ICMPV6", icmp6EchoRequest, icmp6EchoReply),
		}))
		return 1
	})
}

// buildEcho is icmp/icmp6(type, code, id, sequence, data, checksum): an echo
// request or reply; the checksum is filled in only when asked (the kernel
// fills it in for ping sockets).
func buildEcho(request, reply int) lua.LGFunction {
	return func(L *lua.LState) int {
		typ := L.CheckInt(1)
		if typ != request && typ != reply {
			L.ArgError(1, "not an echo request or reply type")
		}
		data := L.OptString(5, "")
		p := make([]byte, 8+len(data))
		p[0], p[1] = byte(typ), byte(L.CheckInt(2))
		binary.BigEndian.PutUint16(p[4:], uint16(L.CheckInt(3)))
		binary.BigEndian.PutUint16(p[6:], uint16(L.CheckInt(4)))
		copy(p[8:], data)
		if lua.LVAsBool(L.Get(6)) {
			binary.BigEndian.PutUint16(p[2:], Checksum(p))
		}
		L.Push(lua.LString(p))
		return 1
	}
}

// Checksum is the Internet checksum (RFC 1071) of p.
func Checksum(p []byte) uint16 {
	var sum uint32
	for i := 0; i+1 < len(p); i += 2 {
		sum += uint32(p[i])<<8 | uint32(p[i+1])
	}
	if len(p)%2 == 1 {
		sum += uint32(p[len(p)-1]) << 8
	}
	for sum > 0xffff {
		sum = sum>>16 + sum&0xffff
	}
	return ^uint16(sum)
}

// decode is from_icmp/from_icmp6(data): the packet's name, type, code,
// checksum, id and sequence (echo), gateway (ICMP redirect) and data, or
// nil and lua-eco's error for fewer than 8 bytes.
func decode(name string, request, reply int) lua.LGFunction {
	return func(L *lua.LState) int {
		p := []byte(L.CheckString(1))
		if len(p) < 8 {
			L.Push(lua.LNil)
			L.Push(lua.LString("not a valid " + name + " packet"))
			return 2
		}
		t := L.CreateTable(0, 7)
		typ := int(p[0])
		t.RawSetString("name", lua.LString(name))
		t.RawSetString("type", lua.LNumber(typ))
		t.RawSetString("code", lua.LNumber(p[1]))
		t.RawSetString("checksum", lua.LNumber(binary.BigEndian.Uint16(p[2:])))
		switch {
		case typ == request || typ == reply:
			t.RawSetString("id", lua.LNumber(binary.BigEndian.Uint16(p[4:])))
			t.RawSetString("sequence", lua.LNumber(binary.BigEndian.Uint16(p[6:])))
		case name == "ICMP" && typ == icmpRedirect:
			t.RawSetString("gateway", lua.LString(netip.AddrFrom4([4]byte(p[4:8])).String()))
		}
		t.RawSetString("data", lua.LString(p[8:]))
		L.Push(t)
		return 1
	}
}
