package sillynet

import (
	"bytes"
	"context"
	"crypto/tls"
	"net"
	"sync"
	"time"

	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
)

// connTypeName names the conn metatable in each VM's registry.
const connTypeName = "silly.net.conn"

// Conn is the Go side of a silly tcp or tls conn. Reads release the VM
// token while they wait (read.go): by default the socket is read only when a
// task asks; after conn:limit() a goroutine reads ahead up to the limit, as
// silly's event loop does.
type Conn struct {
	rt     *runtime.Runtime
	nc     net.Conn
	fd     int
	remote string
	isTLS  bool
	stats  *netStats // nil: not counted by netstat (see wrapConn)

	bmu     sync.Mutex // guards buf, rpos, rerr and ra
	buf     []byte     // buffered, unread bytes are buf[rpos:]
	rpos    int
	rerr    error // sticky read error (EOF, reset); not timeouts
	reading bool  // a task is in fill (only the token holder reads or writes it)
	ra      readAhead

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
	c.stopReadAhead()
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
	L.Push(lua.LNumber(c.Unread()))
	return 1
}

func connUnsent(L *lua.LState) int {
	c := CheckConn(L, 1)
	L.Push(lua.LNumber(c.out.Pending()))
	return 1
}

// connLimit is conn:limit(n): read ahead until n bytes are buffered, then
// pause (silly's flow control); conn:limit(nil) lifts the limit.
func connLimit(L *lua.LState) int {
	c := CheckConn(L, 1)
	switch v := L.Get(2).(type) {
	case lua.LNumber:
		c.SetLimit(int(v))
	case *lua.LNilType:
		c.SetLimit(0)
	default:
		L.ArgError(2, "number or nil expected")
	}
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
