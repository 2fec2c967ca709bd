//go:build unix

package wscore

import (
	"io"
	"net"
	"os"
	"syscall"
)

// rawConnOf returns the RawConn of a plain TCP or Unix socket. Wrappers are
// not looked through: one that embeds *net.TCPConn may buffer bytes of its
// own, which a read from the file descriptor would skip.
func rawConnOf(nc net.Conn) syscall.RawConn {
	var rc syscall.RawConn
	var err error
	switch c := nc.(type) {
	case *net.TCPConn:
		rc, err = c.SyscallConn()
	case *net.UnixConn:
		rc, err = c.SyscallConn()
	default:
		return nil
	}
	if err != nil {
		return nil
	}
	return rc
}

// rawFill reads into an empty read buffer through the RawConn. The
// callback runs each time the socket may be readable: it takes a buffer from
// the pool, reads without blocking, and gives the buffer back when nothing
// was there, so an idle connection parked in the poller holds none. The
// poller honours read deadlines and Close as for an ordinary Read.
func (c *Conn) rawFill() (int, error) {
	rd := &c.rd
	rd.rawN, rd.rawErr = 0, nil
	if err := c.raw.Read(c.rawFn); err != nil {
		return 0, err
	}
	n, err := rd.rawN, rd.rawErr
	rd.rawErr = nil
	if n == 0 && err == nil {
		return 0, io.EOF
	}
	if err != nil {
		return 0, c.rawReadError(err)
	}
	return n, nil
}

// rawReadError wraps a read(2) error as net.Conn.Read would. It is kept out
// of rawFill so that the frame of an idle reader stays small.
//
//go:noinline
func (c *Conn) rawReadError(err error) error {
	return &net.OpError{Op: "read", Net: c.nc.LocalAddr().Network(), Source: c.nc.LocalAddr(), Addr: c.nc.RemoteAddr(), Err: os.NewSyscallError("read", err)}
}

// rawRead is the RawConn callback; it reports false to wait for readiness.
func (c *Conn) rawRead(fd uintptr) bool {
	rd := &c.rd
	c.acquireReadBuf()
	for {
		n, err := syscall.Read(int(fd), rd.buf)
		switch err {
		case syscall.EINTR:
			continue
		case syscall.EAGAIN:
			c.releaseReadBuf()
			return false
		}
		if n < 0 {
			n = 0
		}
		rd.rawN, rd.rawErr = n, err
		if n == 0 {
			c.releaseReadBuf()
		}
		return true
	}
}
