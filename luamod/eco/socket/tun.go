package socket

import (
	"fmt"
	"net"
	"os"

	"github.com/golua-ws/golua-ws/runtime"
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
