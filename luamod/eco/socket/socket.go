package socket

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/golua-ws/golua-ws/luamod/eco/fdio"
	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
)

// readBufferSize is lua-eco's reader buffer size (eco.c).
const readBufferSize = 4096

// Socket is one eco socket: a connected stream (TCP or TLS) or a listener.
//
// Lua-facing methods run holding the VM token. The read side is used by one
// task at a time (a second reader gets lua-eco's "already waiting" error);
// writes from several tasks are serialised by wmu, which is taken while the
// token is released.
type Socket struct {
	rt   *runtime.Runtime
	conn net.Conn
	ln   net.Listener

	// file is a socket made by NewSocket that is neither a connection nor
	// a listener yet (or never becomes one: packet, netlink sockets).
	file *os.File
	// family and stype are the socket's address family and type (0 for a
	// connection wrapped by Wrap: TCP). established marks a socket that is
	// connected (accepted, socketpair, connect): closing it never removes
	// a Unix socket file.
	family, stype int
	established   bool
	// fdShared: getfd gave the descriptor to the script (see Close).
	fdShared bool
	// listening: listen succeeded on file (a socket made by NewSocket).
	listening bool

	buf  []byte // read buffer; data is buf[r:w]
	r, w int
	eofA bool // 'a' already returned the data up to EOF

	reading  bool // a task waits for read
	wmu      sync.Mutex
	closed   atomic.Bool
	detached bool
	stop     func() bool // unregisters the close-at-exit hook
	deadline bool        // a read deadline is set on conn

	// reg closes conn at the runtime's exit instead of stop (WrapIn);
	// regPrev and regNext link the open sockets of reg (reg.mu).
	reg              *Registry
	regPrev, regNext *Socket

	// onClose is what Close does to a detached socket: the new owner's
	// way of closing the connection (Detach).
	onClose io.Closer
}

// Wrap makes a Socket of an established connection. buffered holds bytes
// already read from conn past what its previous owner consumed (for example
// the rest of an HTTP reader's buffer); they are read first. The connection
// is closed when the runtime exits.
func Wrap(rt *runtime.Runtime, conn net.Conn, buffered []byte) *Socket {
	s := newSocket(rt, conn, buffered)
	s.stop = context.AfterFunc(rt.Context(), func() { _ = conn.Close() })
	return s
}

// newSocket makes the Socket of Wrap and WrapIn, without the close at exit.
func newSocket(rt *runtime.Runtime, conn net.Conn, buffered []byte) *Socket {
	s := &Socket{rt: rt, conn: conn}
	if len(buffered) > 0 {
		n := readBufferSize
		if len(buffered) > n {
			n = len(buffered)
		}
		s.buf = make([]byte, n)
		s.w = copy(s.buf, buffered)
	}
	return s
}

func wrapListener(rt *runtime.Runtime, ln net.Listener) *Socket {
	s := &Socket{rt: rt, ln: ln}
	release := rt.Hold()
	s.stop = context.AfterFunc(rt.Context(), func() { _ = ln.Close() })
	prev := s.stop
	s.stop = func() bool { release(); return prev() }
	return s
}

// Conn returns the underlying connection (nil for a listener).
func (s *Socket) Conn() net.Conn { return s.conn }

// Closed reports whether Close or Detach was called.
func (s *Socket) Closed() bool { return s.closed.Load() }

// Detach hands the connection and the bytes buffered but not yet read over
// to a new owner (a WebSocket connection). The Socket then refuses reads and
// writes ('Bad file descriptor') but keeps answering getsockname and
// getpeername, and Close still closes the connection (as does the runtime's
// exit), so whoever holds the Lua value keeps lua-eco's way of dropping a
// connection (ws.sock:close()). onClose is how: Close calls onClose.Close
// instead of closing the connection itself, because the new owner may have
// frames to write first (nil: Close closes the connection). Token required.
func (s *Socket) Detach(onClose io.Closer) (net.Conn, []byte) {
	var rest []byte
	if s.r < s.w {
		rest = append([]byte(nil), s.buf[s.r:s.w]...)
	}
	s.buf, s.r, s.w = nil, 0, 0
	s.detached = true
	s.onClose = onClose
	if s.reg != nil {
		// The new owner closes the connection at the runtime's exit (the
		// WebSocket layer's registry).
		s.reg.remove(s)
	}
	return s.conn, rest
}

// Detached reports whether Detach handed the connection to a new owner.
// Token required.
func (s *Socket) Detached() bool { return s.detached }

// Owner returns the onClose that Detach was given (the new owner), nil if
// the socket was not detached. It stays after Close. Token required.
func (s *Socket) Owner() io.Closer {
	if !s.detached {
		return nil
	}
	return s.onClose
}

// Close closes the connection or listener. It is idempotent; blocked readers
// and writers return 'canceled'.
func (s *Socket) Close() error {
	if s.closed.Load() {
		return nil
	}
	s.unlinkBound() // needs the descriptor open
	if s.fdShared {
		// The script had the fd: eco.io/reader/writer may poll a dup of
		// it, which would keep the socket open after it is closed.
		if fd := fdOf(s); fd >= 0 {
			fdio.TableOf(s.rt).Forget(fd)
		}
	}
	if s.closed.Swap(true) {
		return nil
	}
	if s.stop != nil {
		s.stop()
	}
	if s.reg != nil {
		s.reg.remove(s)
	}
	if s.file != nil {
		return s.file.Close()
	}
	if s.ln != nil {
		return s.ln.Close()
	}
	if s.detached && s.onClose != nil {
		return s.onClose.Close()
	}
	return s.conn.Close()
}

// ErrString turns a Go network error into lua-eco's error string.
func ErrString(err error) string {
	var errno syscall.Errno
	switch {
	case err == nil:
		return ""
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "closed"
	case errors.Is(err, os.ErrDeadlineExceeded):
		return "timeout"
	case errors.Is(err, net.ErrClosed):
		return "canceled"
	case errors.As(err, &errno):
		return fdio.Strerror(errno)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return "timeout"
	}
	return err.Error()
}

// ioState returns lua-eco's error for reading or writing s now: closed
// (or handed over) sockets have a bad descriptor, a socket not connected
// yet (a listener, a fresh stream socket) is not connected. "" means go on.
func (s *Socket) ioState() string {
	switch {
	case s.closed.Load() || s.detached:
		return errBadFD
	case s.conn == nil:
		return fdio.Strerror(syscall.ENOTCONN)
	}
	return ""
}

// errBadFD is what lua-eco returns for I/O on a socket closed by its owner.
const errBadFD = "Bad file descriptor"

// setReadTimeout arms the read deadline for one wait (timeout in seconds;
// <= 0 means none) and clears one left by an earlier call.
func (s *Socket) setReadTimeout(timeout float64) {
	if timeout > 0 {
		_ = s.conn.SetReadDeadline(time.Now().Add(time.Duration(timeout * float64(time.Second))))
		s.deadline = true
	} else if s.deadline {
		_ = s.conn.SetReadDeadline(time.Time{})
		s.deadline = false
	}
}

// beginRead claims the read side for the calling task or raises lua-eco's
// busy error.
func (s *Socket) beginRead(L *lua.LState) {
	if s.reading {
		L.RaiseError("another coroutine is already waiting for read on this file descriptor")
	}
	s.reading = true
}

// fill reads at least one more byte into the buffer, releasing the token
// while it waits. It returns lua-eco's error string, or "".
func (s *Socket) fill(t *runtime.Task, timeout float64) string {
	if s.closed.Load() {
		return errBadFD
	}
	if s.buf == nil {
		s.buf = make([]byte, readBufferSize)
	}
	if s.r > 0 && s.r == s.w {
		s.r, s.w = 0, 0
	}
	if s.w == len(s.buf) {
		if s.r > 0 {
			s.w = copy(s.buf, s.buf[s.r:s.w])
			s.r = 0
		} else {
			nb := make([]byte, 2*len(s.buf))
			copy(nb, s.buf[:s.w])
			s.buf = nb
		}
	}
	s.setReadTimeout(timeout)
	var n int
	err := t.Block(func(context.Context) error {
		var err error
		n, err = s.conn.Read(s.buf[s.w:])
		return err
	})
	if s.closed.Load() {
		s.r, s.w = 0, 0
		return "canceled"
	}
	s.w += n
	if n > 0 {
		return ""
	}
	if err == nil {
		err = io.ErrNoProgress
	}
	if s.closed.Load() && !errors.Is(err, io.EOF) {
		return "canceled"
	}
	return ErrString(err)
}

// take consumes and returns n buffered bytes as a Lua string.
func (s *Socket) take(n int) lua.LString {
	v := lua.LString(s.buf[s.r : s.r+n])
	s.r += n
	return v
}

// Buffered returns how many read bytes are waiting in the buffer.
func (s *Socket) Buffered() int { return s.w - s.r }

// ReadSome returns up to n bytes: buffered bytes at once, else the result of
// one read. Token required.
func (s *Socket) ReadSome(t *runtime.Task, n int, timeout float64) (lua.LString, string) {
	if s.w == s.r {
		if s.buf == nil && n >= readBufferSize && !s.closed.Load() {
			// A large read with nothing buffered goes straight to the
			// caller's slice, as eco.c's reader does.
			s.setReadTimeout(timeout)
			p := make([]byte, n)
			var got int
			err := t.Block(func(context.Context) error {
				var err error
				got, err = s.conn.Read(p)
				return err
			})
			if got > 0 {
				return lua.LString(p[:got]), ""
			}
			if err == nil {
				err = io.ErrNoProgress
			}
			if s.closed.Load() && !errors.Is(err, io.EOF) {
				return "", "canceled"
			}
			return "", ErrString(err)
		}
		if e := s.fill(t, timeout); e != "" {
			return "", e
		}
	}
	if avail := s.w - s.r; n > avail {
		n = avail
	}
	return s.take(n), ""
}

// ReadFull returns exactly n bytes; on error the bytes gathered are dropped
// (lua-eco's readfull). Token required.
func (s *Socket) ReadFull(t *runtime.Task, n int, timeout float64) (lua.LString, string) {
	if s.w-s.r >= n {
		return s.take(n), ""
	}
	if s.buf == nil || len(s.buf)-s.r < n {
		nb := make([]byte, max(n, readBufferSize))
		s.w = copy(nb, s.buf[s.r:s.w])
		s.r = 0
		s.buf = nb
	}
	for s.w-s.r < n {
		if e := s.fill(t, timeout); e != "" {
			s.r, s.w = 0, 0
			return "", e
		}
	}
	v := s.take(n)
	if len(s.buf) > 4*readBufferSize && s.r == s.w {
		s.buf, s.r, s.w = nil, 0, 0 // do not keep a large buffer around
	}
	return v, ""
}

// readLine implements the 'l' and 'L' formats.
func (s *Socket) readLine(t *runtime.Task, keep bool, timeout float64) (lua.LString, string) {
	scanned := 0
	for {
		if i := bytes.IndexByte(s.buf[s.r+scanned:s.w], '\n'); i >= 0 {
			end := s.r + scanned + i
			line := s.buf[s.r:end]
			if keep {
				line = s.buf[s.r : end+1]
			} else if len(line) > 0 && line[len(line)-1] == '\r' {
				line = line[:len(line)-1]
			}
			v := lua.LString(line)
			s.r = end + 1
			return v, ""
		}
		scanned = s.w - s.r
		if e := s.fill(t, timeout); e != "" {
			s.r, s.w = 0, 0 // a partial last line is discarded
			return "", e
		}
	}
}

// readAll implements the 'a' format.
func (s *Socket) readAll(t *runtime.Task, timeout float64) (lua.LValue, string) {
	if s.eofA {
		return lua.LNil, "closed"
	}
	for {
		e := s.fill(t, timeout)
		if e == "closed" {
			s.eofA = true
			v := lua.LString(s.buf[s.r:s.w])
			s.r, s.w = 0, 0
			return v, ""
		}
		if e != "" {
			s.r, s.w = 0, 0
			return lua.LNil, e
		}
	}
}

// ReadUntil implements readuntil: data before the needle and true, or (when
// the needle is not in sight yet) what can safely be returned without it.
func (s *Socket) ReadUntil(t *runtime.Task, needle string, timeout float64) (lua.LString, bool, string) {
	for {
		data := s.buf[s.r:s.w]
		if i := bytes.Index(data, []byte(needle)); i >= 0 {
			v := lua.LString(data[:i])
			s.r += i + len(needle)
			return v, true, ""
		}
		if len(data) > len(needle) {
			n := len(data) - (len(needle) - 1)
			return s.take(n), false, ""
		}
		if e := s.fill(t, timeout); e != "" {
			if s.w > s.r && (e == "closed" || e == "eof") {
				return s.take(s.w - s.r), false, ""
			}
			return "", false, e
		}
	}
}

// Write sends all of data, serialised with the other writers. It returns ""
// or lua-eco's error string. Token required (it is released while writing).
func (s *Socket) Write(t *runtime.Task, data string, timeout float64) string {
	if e := s.ioState(); e != "" {
		return e
	}
	err := t.Block(func(context.Context) error {
		s.wmu.Lock()
		defer s.wmu.Unlock()
		if timeout > 0 {
			_ = s.conn.SetWriteDeadline(time.Now().Add(time.Duration(timeout * float64(time.Second))))
			defer s.conn.SetWriteDeadline(time.Time{})
		}
		_, err := io.WriteString(s.conn, data)
		return err
	})
	if err == nil {
		return ""
	}
	if s.closed.Load() {
		return "canceled"
	}
	return ErrString(err)
}

// SendFile sends length bytes of the file at path from offset (length < 0:
// up to the end), serialised with the other writers; Go hands the copy to
// the kernel (sendfile/splice) where the connection allows it. A file
// shorter than asked sends what it has. Token required (released while
// sending).
func (s *Socket) SendFile(t *runtime.Task, path string, offset, length int64, timeout float64) (int64, error) {
	if s.closed.Load() || s.detached {
		return 0, syscall.EBADF
	}
	if s.conn == nil {
		return 0, syscall.ENOTCONN
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	if length < 0 {
		st, err := f.Stat()
		if err != nil {
			return 0, err
		}
		length = st.Size() - offset
	}
	if length <= 0 {
		return 0, nil
	}
	if s.file != nil {
		return s.sendfileRaw(t, f, offset, length, timeout)
	}
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return 0, err
	}
	var n int64
	err = t.Block(func(context.Context) error {
		s.wmu.Lock()
		defer s.wmu.Unlock()
		_ = s.conn.SetWriteDeadline(deadlineAfter(timeout))
		defer s.conn.SetWriteDeadline(time.Time{})
		var err error
		n, err = io.CopyN(s.conn, f, length)
		if errors.Is(err, io.EOF) {
			err = nil
		}
		return err
	})
	if err != nil && s.closed.Load() {
		return n, net.ErrClosed
	}
	return n, err
}

// Accept waits for the next connection on a listener.
func (s *Socket) Accept(t *runtime.Task, timeout float64) (*Socket, string) {
	if s.closed.Load() {
		return nil, errBadFD
	}
	type deadliner interface{ SetDeadline(time.Time) error }
	if d, ok := s.ln.(deadliner); ok {
		if timeout > 0 {
			_ = d.SetDeadline(time.Now().Add(time.Duration(timeout * float64(time.Second))))
		} else {
			_ = d.SetDeadline(time.Time{})
		}
	}
	var c net.Conn
	err := t.Block(func(context.Context) error {
		var err error
		c, err = s.ln.Accept()
		return err
	})
	if err != nil {
		if s.closed.Load() {
			return nil, "canceled"
		}
		return nil, ErrString(err)
	}
	a := Wrap(s.rt, c, nil)
	a.family, a.stype, a.established = s.family, s.stype, true
	return a, ""
}
