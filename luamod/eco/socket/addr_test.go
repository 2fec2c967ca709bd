package socket

import (
	"net"
	"net/netip"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// TestAddrPortTable checks that the netip form of con.peer is the table
// AddrTable makes of the same address.
func TestAddrPortTable(t *testing.T) {
	L := lua.NewState()
	defer L.Close()
	for _, s := range []string{"127.0.0.1:80", "[::ffff:10.0.0.1]:8080", "[2001:db8::1]:443", "[fe80::1%lo]:1"} {
		ap := netip.MustParseAddrPort(s)
		got := AddrPortTable(L, ap)
		want := AddrTable(L, net.TCPAddrFromAddrPort(ap)).(*lua.LTable)
		for _, k := range []string{"family", "ipaddr", "port"} {
			if g, w := got.RawGetString(k), want.RawGetString(k); g.Type() != w.Type() || g.String() != w.String() {
				t.Errorf("%s: %s = %v, want %v", s, k, g, w)
			}
		}
		n := 0
		got.ForEach(func(lua.LValue, lua.LValue) { n++ })
		if n != 3 {
			t.Errorf("%s: %d fields, want 3", s, n)
		}
	}
}
