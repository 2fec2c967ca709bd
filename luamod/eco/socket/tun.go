package socket

import (
	"fmt"
	"net"
	"os"

	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"
)

// fileConn lets a TUN/TAP device's *os.File stand where the socket code
// expects a net.Conn (read buffer, writes, deadlines, the descriptor);
// a device has no addresses.
type fileConn struct{ *os.File }

func (fileConn) LocalAddr() net.Addr  { return nil }
func (fileConn) RemoteAddr() net.Addr { return nil }

// OpenTun creates or attaches the Linux TUN/TAP interface dev ("" lets the
// kernel name it) with flags (IFF_TUN or IFF_TAP, optionally IFF_NO_PI) and
// returns it as a socket whose reads and writes are whole packets, and the
// interface's name.
func OpenTun(rt *runtime.Runtime, dev string, flags uint16) (*Socket, string, error) {
	fd, err := unix.Open("/dev/net/tun", unix.O_RDWR|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, "", fmt.Errorf("open /dev/net/tun: %w", err)
	}
	ifr, err := unix.NewIfreq(dev)
	if err != nil {
		_ = unix.Close(fd)
		return nil, "", fmt.Errorf("tun device %q: %w", dev, err)
	}
	ifr.SetUint16(flags)
	if err := unix.IoctlIfreq(fd, unix.TUNSETIFF, ifr); err != nil {
		_ = unix.Close(fd)
		return nil, "", fmt.Errorf("TUNSETIFF %q: %w", dev, err)
	}
	return newFileSocket(rt, fd, 0, 0, true), ifr.Name(), nil
}

// openTun is eco.socket's open_tun(dev, opts): opts.tun, opts.tap and
// opts.no_pi choose the flags (default: TUN without packet information).
func openTun(rt *runtime.Runtime) lua.LGFunction {
	return func(L *lua.LState) int {
		dev := L.OptString(1, "")
		if len(dev) >= unix.IFNAMSIZ {
			L.ArgError(1, "device name too long")
		}
		var flags uint16
		if opts := optTable(L, 2); opts != nil {
			switch {
			case lua.LVAsBool(opts.RawGetString("tun")):
				flags |= unix.IFF_TUN
			case lua.LVAsBool(opts.RawGetString("tap")):
				flags |= unix.IFF_TAP
			}
			if lua.LVAsBool(opts.RawGetString("no_pi")) {
				flags |= unix.IFF_NO_PI
			}
		}
		if flags == 0 {
			flags = unix.IFF_TUN | unix.IFF_NO_PI
		}
		s, name, err := OpenTun(rt, dev, flags)
		if err != nil {
			return pushErr(L, ErrString(err))
		}
		L.Push(s.Push(L))
		L.Push(lua.LString(name))
		return 2
	}
}
