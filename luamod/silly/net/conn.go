package sillynet

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"net"
	"sync"
	"time"

	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
)

// connTypeName names the conn metatable in each VM's registry.
const connTypeName = "silly.net.conn"

// Conn is the Go side of a silly tcp or tls conn. Its read buffer belongs to
// whichever task holds the VM token; the network reads themselves run
// without the token.
type Conn struct {
	rt     *runtime.Runtime
	nc     net.Conn
	fd     int
	remote string
	isTLS  bool
	stats  *netStats // nil: not counted by netstat (see wrapConn)

	buf     []byte // buffered, unread bytes are buf[rpos:]
	rpos    int
	rerr    error // sticky read error (EOF, reset); not timeouts
	reading bool

	out  Outbox
	stop func() bool

	mu     sync.Mutex
	closed bool
}

// NetConn returns the wrapped connection.
func (c *Conn) NetConn() net.Conn { return c.nc }

// Closed reports whether conn:close() (or Close) has been called.
func (c *Conn) Closed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

// Close closes the conn after its queued writes have gone out. It reports
// false if it was already closed.
func (c *Conn) Close() bool {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return false
	}
	c.closed = true
	c.mu.Unlock()
	c.stop()
	// Wake a reader blocked in this conn at once (silly wakes it with
	// errno.CLOSED); queued writes still go out first.
	_ = c.nc.SetReadDeadline(time.Unix(1, 0))
	c.out.Close()
	return true
}

// Write queues data without blocking.
func (c *Conn) Write(data string) error {
	if c.Closed() {
		return errLocalClose
	}
	return c.out.Push(0, data)
}

// WrapConn makes a conn object for nc (an accepted or dialled connection,
// or the connection under an HTTP stream) and returns its Lua value.
// remote is what conn.remoteaddr shows. Token required.
func WrapConn(L *lua.LState, rt *runtime.Runtime, nc net.Conn, remote string) (*Conn, *lua.LUserData) {
	return wrapConn(L, rt, nc, remote, false)
}

// WrapDialed is WrapConn for a connection that a module dialled with Dial
// for a protocol of its own (silly.store.redis): silly makes those with
// tcp.connect, so netstat counts them as it counts tcp.connect's.
func WrapDialed(L *lua.LState, rt *runtime.Runtime, nc net.Conn, remote string) (*Conn, *lua.LUserData) {
	return wrapConn(L, rt, nc, remote, true)
}

// wrapConn is WrapConn; counted says nc is a connection of silly.net's own
// (accepted or dialled), which netstat counts. A view of a connection that
// another layer owns (stream.conn, sock.conn) is not counted: that layer
// may close it behind the view's back.
func wrapConn(L *lua.LState, rt *runtime.Runtime, nc net.Conn, remote string, counted bool) (*Conn, *lua.LUserData) {
	st := stateOf(L, rt)
	st.nextFD++
	c := &Conn{rt: rt, nc: nc, fd: st.nextFD, remote: remote}
	_, c.isTLS = nc.(*tls.Conn)
	closeNC := func() { nc.Close() }
	if counted {
		c.stats = st.stats
		c.stats.tcpConns.Add(1)
		// It stops counting as open when it is really closed: by close
		// after the queued writes, or by the runtime's end.
		closeNC = sync.OnceFunc(func() {
			nc.Close()
			c.stats.tcpConns.Add(-1)
		})
	}
	c.stop = context.AfterFunc(rt.Context(), closeNC)
	c.out.Send = func(items []OutItem) error {
		if len(items) == 1 {
			n, err := nc.Write(items[0].Bytes())
			c.countSent(n)
			return err
		}
		bufs := make(net.Buffers, len(items))
		for i := range items {
			bufs[i] = items[i].Bytes()
		}
		n, err := bufs.WriteTo(nc)
		c.countSent(int(n))
		return err
	}
	c.out.Finish = closeNC
	ud := L.NewUserData()
	ud.Value = c
	L.SetMetatable(ud, connMeta(L))
	return c, ud
}

// countSent adds n bytes written to netstat's count.
func (c *Conn) countSent(n int) {
	if c.stats != nil {
		c.stats.sent.Add(uint64(n))
	}
}

// CheckConn returns the conn at stack index n or raises an argument error.
func CheckConn(L *lua.LState, n int) *Conn {
	ud := L.CheckUserData(n)
	if c, ok := ud.Value.(*Conn); ok {
		return c
	}
	L.ArgError(n, "silly conn expected")
	return nil
}

// ReadN reads exactly n bytes (silly's conn:read(n)), waiting up to timeout
// (0: no limit). On EOF the bytes read so far stay buffered.
func (c *Conn) ReadN(t *runtime.Task, n int, timeout time.Duration) (string, string) {
	for len(c.buf)-c.rpos < n {
		if e := c.fill(t, timeout); e != "" {
			return "", e
		}
	}
	s := string(c.buf[c.rpos : c.rpos+n])
	c.consume(n)
	return s, ""
}

// ReadDelim reads up to and including delim.
func (c *Conn) ReadDelim(t *runtime.Task, delim byte, timeout time.Duration) (string, string) {
	scanned := 0
	for {
		if i := bytes.IndexByte(c.buf[c.rpos+scanned:], delim); i >= 0 {
			end := scanned + i + 1
			s := string(c.buf[c.rpos : c.rpos+end])
			c.consume(end)
			return s, ""
		}
		scanned = len(c.buf) - c.rpos
		if e := c.fill(t, timeout); e != "" {
			return "", e
		}
	}
}

func (c *Conn) consume(n int) {
	c.rpos += n
	if c.rpos == len(c.buf) {
		c.buf = c.buf[:0]
		c.rpos = 0
	}
}

// fill reads more bytes into the buffer, releasing the VM token while it
// waits. It returns silly's errno string on failure.
func (c *Conn) fill(t *runtime.Task, timeout time.Duration) string {
	if c.Closed() {
		return ErrClosed
	}
	if c.rerr != nil {
		return ErrString(c.rerr)
	}
	if c.reading {
		// silly asserts here; two readers would race on the buffer.
		return "conn is already being read by another task"
	}
	if c.rpos > 0 && c.rpos == len(c.buf) {
		c.buf, c.rpos = c.buf[:0], 0
	}
	if cap(c.buf)-len(c.buf) < 2048 {
		if c.rpos > 0 {
			n := copy(c.buf, c.buf[c.rpos:])
			c.buf, c.rpos = c.buf[:n], 0
		}
		if cap(c.buf)-len(c.buf) < 2048 {
			nb := make([]byte, len(c.buf), 2*cap(c.buf)+4096)
			copy(nb, c.buf)
			c.buf = nb
		}
	}
	c.reading = true
	var n int
	err := t.Block(func(ctx context.Context) error {
		var dl time.Time
		if timeout > 0 {
			dl = time.Now().Add(timeout)
		}
		_ = c.nc.SetReadDeadline(dl)
		var err error
		n, err = c.nc.Read(c.buf[len(c.buf):cap(c.buf)])
		return err
	})
	c.reading = false
	if c.stats != nil {
		c.stats.received.Add(uint64(n))
	}
	c.buf = c.buf[:len(c.buf)+n]
	if n > 0 {
		return ""
	}
	if c.Closed() {
		return ErrClosed
	}
	if err == nil {
		return ""
	}
	if isTimeout(err) {
		return ErrTimedOut
	}
	c.rerr = err
	return ErrString(err)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// connMeta returns the VM's conn metatable, creating it on first use.
func connMeta(L *lua.LState) *lua.LTable {
	if mt, ok := L.GetTypeMetatable(connTypeName).(*lua.LTable); ok {
		return mt
	}
	mt := L.NewTypeMetatable(connTypeName)
	methods := L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"read":        connRead,
		"readline":    connRead,
		"write":       connWrite,
		"close":       connClose,
		"isalive":     connIsAlive,
		"unreadbytes": connUnread,
		"unsentbytes": connUnsent,
		"limit":       connLimit,
		"alpnproto":   connALPN,
	})
	L.SetField(mt, "__index", L.NewFunction(func(L *lua.LState) int {
		c := CheckConn(L, 1)
		switch key := L.CheckString(2); key {
		case "remoteaddr":
			L.Push(lua.LString(c.remote))
		case "fd":
			if c.Closed() {
				L.Push(lua.LNil)
			} else {
				L.Push(lua.LNumber(c.fd))
			}
		default:
			L.Push(methods.RawGetString(key))
		}
		return 1
	}))
	L.SetField(mt, "__close", L.NewFunction(connClose))
	L.SetField(mt, "__gc", L.NewFunction(connClose))
	L.SetField(mt, "__tostring", L.NewFunction(func(L *lua.LState) int {
		c := CheckConn(L, 1)
		L.Push(lua.LString("conn: " + c.remote))
		return 1
	}))
	return mt
}

// timeoutArg reads an optional millisecond timeout argument.
func timeoutArg(L *lua.LState, n int) time.Duration {
	ms := L.OptNumber(n, 0)
	if ms <= 0 {
		return 0
	}
	return time.Duration(float64(ms) * float64(time.Millisecond))
}

func connRead(L *lua.LState) int {
	c := CheckConn(L, 1)
	t := c.rt.MustTask(L)
	timeout := timeoutArg(L, 3)
	var s, e string
	switch v := L.Get(2).(type) {
	case lua.LNumber:
		n := int(v)
		if n <= 0 {
			L.Push(lua.LString(""))
			return 1
		}
		s, e = c.ReadN(t, n, timeout)
	case lua.LString:
		if len(v) != 1 {
			L.RaiseError("delimiter length must be 1")
		}
		s, e = c.ReadDelim(t, v[0], timeout)
	default:
		L.ArgError(2, "number or string expected")
	}
	if e != "" {
		L.Push(lua.LNil)
		L.Push(lua.LString(e))
		return 2
	}
	L.Push(lua.LString(s))
	return 1
}

func connWrite(L *lua.LState) int {
	c := CheckConn(L, 1)
	var data string
	switch v := L.Get(2).(type) {
	case lua.LString:
		data = string(v)
	case lua.LNumber:
		data = v.String()
	case *lua.LTable:
		var b bytes.Buffer
		n := v.Len()
		for i := 1; i <= n; i++ {
			b.WriteString(lua.LVAsString(v.RawGetInt(i)))
		}
		data = b.String()
	default:
		L.ArgError(2, "string or table expected")
	}
	if data == "" {
		L.Push(lua.LTrue)
		return 1
	}
	if err := c.Write(data); err != nil {
		return PushStatus(L, ErrString(err))
	}
	L.Push(lua.LTrue)
	return 1
}

func connClose(L *lua.LState) int {
	c := CheckConn(L, 1)
	if !c.Close() {
		return PushStatus(L, ErrClosed)
	}
	L.Push(lua.LTrue)
	return 1
}

func connIsAlive(L *lua.LState) int {
	c := CheckConn(L, 1)
	L.Push(lua.LBool(!c.Closed() && c.rerr == nil && c.out.Err() == nil))
	return 1
}

func connUnread(L *lua.LState) int {
	c := CheckConn(L, 1)
	L.Push(lua.LNumber(len(c.buf) - c.rpos))
	return 1
}

func connUnsent(L *lua.LState) int {
	c := CheckConn(L, 1)
	L.Push(lua.LNumber(c.out.Pending()))
	return 1
}

// connLimit accepts silly's read back-pressure call; Go's reads already
// apply back-pressure (nothing is read until a task asks), so it has no
// further effect.
func connLimit(L *lua.LState) int {
	CheckConn(L, 1)
	return 0
}

func connALPN(L *lua.LState) int {
	c := CheckConn(L, 1)
	if tc, ok := c.nc.(*tls.Conn); ok {
		if p := tc.ConnectionState().NegotiatedProtocol; p != "" {
			L.Push(lua.LString(p))
			return 1
		}
	}
	L.Push(lua.LNil)
	return 1
}

// PushStatus pushes silly's status return: true when e is empty, else
// false and e. It returns the number of values pushed.
func PushStatus(L *lua.LState, e string) int {
	if e == "" {
		L.Push(lua.LTrue)
		return 1
	}
	L.Push(lua.LFalse)
	L.Push(lua.LString(e))
	return 2
}
