package sillynet

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"sync"
	"syscall"
	"time"

	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
)

// udpStashLimit bounds the datagrams a UDP socket keeps for a task that has
// not called recvfrom yet. silly's stash has no bound; here a peer that
// floods a socket nobody reads loses datagrams past the limit, as it would
// once the kernel's receive buffer is full, instead of growing memory.
const udpStashLimit = 4 << 20

// udpPacket is one received datagram and the sender's "ip:port".
type udpPacket struct {
	data string
	addr string
}

// UDPConn is a silly UDP socket (udp.bind or udp.connect). A goroutine
// reads datagrams into the stash as they arrive, as silly's event loop
// does; recvfrom takes them from there and waits, without the VM token,
// only when the stash is empty.
type UDPConn struct {
	pc        *net.UDPConn
	connected bool
	fd        int
	release   func() // undoes the runtime hold and the shutdown hook

	mu      sync.Mutex
	stash   []udpPacket
	head    int
	bytes   int
	err     string // sticky receive error, or ErrClosed after close
	closed  bool
	arrived chan struct{} // capacity 1: a datagram or an error came in
	done    chan struct{} // closed by Close
}

// newUDPConn starts the socket's reader. A bound socket is a server: like
// a tcp listener it keeps the runtime alive until closed. A connected one
// does not, like a tcp conn. Either is closed at shutdown.
func newUDPConn(rt *runtime.Runtime, pc *net.UDPConn, connected bool, fd int) *UDPConn {
	u := &UDPConn{pc: pc, connected: connected, fd: fd,
		arrived: make(chan struct{}, 1), done: make(chan struct{})}
	release := func() {}
	if !connected {
		release = rt.Hold()
	}
	stop := context.AfterFunc(rt.Context(), func() { u.Close() })
	u.release = func() { stop(); release() }
	go u.readLoop()
	return u
}

// readLoop moves datagrams from the socket to the stash until the socket
// is closed or fails.
func (u *UDPConn) readLoop() {
	buf := make([]byte, 64*1024)
	for {
		n, from, err := u.pc.ReadFromUDPAddrPort(buf)
		if err != nil {
			// A connected socket learns of an unreachable peer from an ICMP
			// error on its next read; silly keeps such a socket usable.
			if errors.Is(err, syscall.ECONNREFUSED) {
				continue
			}
			u.mu.Lock()
			if !u.closed && u.err == "" {
				u.err = ErrString(err)
			}
			u.mu.Unlock()
			u.signal()
			return
		}
		pkt := udpPacket{data: string(buf[:n]), addr: udpAddrString(from)}
		u.mu.Lock()
		if u.bytes+n <= udpStashLimit {
			u.stash = append(u.stash, pkt)
			u.bytes += n
		}
		u.mu.Unlock()
		u.signal()
	}
}

func (u *UDPConn) signal() {
	select {
	case u.arrived <- struct{}{}:
	default:
	}
}

// udpAddrString formats a sender as silly does: "ip:port", IPv6 in
// brackets, an IPv4 sender on a dual-stack socket as IPv4.
func udpAddrString(ap netip.AddrPort) string {
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port()).String()
}

// pop takes the oldest stashed datagram. Called with u.mu held.
func (u *UDPConn) pop() (udpPacket, bool) {
	if u.head == len(u.stash) {
		return udpPacket{}, false
	}
	p := u.stash[u.head]
	u.stash[u.head] = udpPacket{}
	u.head++
	u.bytes -= len(p.data)
	if u.head == len(u.stash) {
		u.stash, u.head = u.stash[:0], 0
	}
	return p, true
}

// RecvFrom returns the next datagram and its sender, waiting up to timeout
// (0: no limit) with the VM token released. On failure it returns silly's
// errno string: ErrClosed once the socket is closed (also for a wait that
// the close interrupts), ErrTimedOut when the timeout expires.
func (u *UDPConn) RecvFrom(t *runtime.Task, timeout time.Duration) (data, addr, e string) {
	var deadline <-chan time.Time
	if timeout > 0 {
		tm := time.NewTimer(timeout)
		defer tm.Stop()
		deadline = tm.C
	}
	for {
		u.mu.Lock()
		if u.closed {
			u.mu.Unlock()
			return "", "", ErrClosed
		}
		if p, ok := u.pop(); ok {
			u.mu.Unlock()
			return p.data, p.addr, ""
		}
		if u.err != "" {
			err := u.err
			u.mu.Unlock()
			return "", "", err
		}
		u.mu.Unlock()
		timedOut := false
		err := t.Block(func(ctx context.Context) error {
			select {
			case <-u.arrived:
			case <-u.done:
			case <-deadline:
				timedOut = true
			case <-ctx.Done():
				return ctx.Err()
			}
			return nil
		})
		if err != nil {
			return "", "", ErrClosed
		}
		if timedOut {
			return "", "", ErrTimedOut
		}
	}
}

// SendTo sends one datagram, to addr (silly's "ip:port") or, with addr
// empty, to the connected peer. The write runs without the VM token.
func (u *UDPConn) SendTo(t *runtime.Task, data, addr string) string {
	if u.Closed() {
		return ErrClosed
	}
	var dst netip.AddrPort
	if addr != "" {
		hostport, e := ParseAddr(addr)
		if e != "" {
			return e
		}
		ap, err := netip.ParseAddrPort(hostport)
		if err != nil {
			return ErrResolve
		}
		dst = ap
	}
	err := t.Block(func(context.Context) error {
		var err error
		if dst.IsValid() && !u.connected {
			_, err = u.pc.WriteToUDPAddrPort([]byte(data), dst)
		} else {
			_, err = u.pc.Write([]byte(data))
		}
		return err
	})
	if err != nil {
		if u.Closed() {
			return ErrClosed
		}
		return ErrString(err)
	}
	return ""
}

// Closed reports whether Close has been called.
func (u *UDPConn) Closed() bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.closed
}

// Close closes the socket and wakes a task waiting in RecvFrom. It reports
// false if the socket was already closed.
func (u *UDPConn) Close() bool {
	u.mu.Lock()
	if u.closed {
		u.mu.Unlock()
		return false
	}
	u.closed = true
	u.err = ErrClosed
	u.stash, u.head, u.bytes = nil, 0, 0
	u.mu.Unlock()
	close(u.done)
	u.pc.Close()
	u.release()
	return true
}

// UnreadBytes is the size of the stashed datagrams.
func (u *UDPConn) UnreadBytes() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.bytes
}

// udpBind opens a UDP socket on addr (silly's syntax, ":port" for every
// address).
func udpBind(addr string) (*net.UDPConn, string) {
	hostport, e := ParseAddr(addr)
	if e != "" {
		return nil, e
	}
	ap, err := netip.ParseAddrPort(hostport)
	if err != nil {
		return nil, ErrResolve
	}
	pc, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(ap))
	if err != nil {
		return nil, ErrString(err)
	}
	return pc, ""
}

// udpConnect opens a UDP socket connected to addr, bound to bind if given.
func udpConnect(addr, bind string) (*net.UDPConn, string) {
	hostport, e := ParseAddr(addr)
	if e != "" {
		return nil, e
	}
	raddr, err := netip.ParseAddrPort(hostport)
	if err != nil {
		return nil, ErrResolve
	}
	var laddr *net.UDPAddr
	if bind != "" {
		bhp, e := ParseAddr(bind)
		if e != "" {
			return nil, e
		}
		ap, err := netip.ParseAddrPort(bhp)
		if err != nil {
			return nil, ErrResolve
		}
		laddr = net.UDPAddrFromAddrPort(ap)
	}
	pc, err := net.DialUDP("udp", laddr, net.UDPAddrFromAddrPort(raddr))
	if err != nil {
		return nil, ErrString(err)
	}
	return pc, ""
}

const udpTypeName = "silly.net.udp.conn"

// udpModule is silly.net.udp: bind(addr), connect(addr, {bindaddr=}) and
// the conn methods recvfrom, sendto, close, isalive, unreadbytes and
// unsentbytes (also as module functions, silly's compatibility aliases).
func udpModule(L *lua.LState, rt *runtime.Runtime) *lua.LTable {
	methods := map[string]lua.LGFunction{
		"recvfrom": func(L *lua.LState) int {
			u := checkUDP(L)
			data, addr, e := u.RecvFrom(rt.MustTask(L), timeoutArg(L, 2))
			if e != "" {
				L.Push(lua.LNil)
				L.Push(lua.LString(e))
				return 2
			}
			L.Push(lua.LString(data))
			L.Push(lua.LString(addr))
			return 2
		},
		"sendto": func(L *lua.LState) int {
			u := checkUDP(L)
			data := L.CheckString(2)
			return PushStatus(L, u.SendTo(rt.MustTask(L), data, L.OptString(3, "")))
		},
		"close": func(L *lua.LState) int {
			if !checkUDP(L).Close() {
				return PushStatus(L, ErrClosed)
			}
			L.Push(lua.LTrue)
			return 1
		},
		"isalive": func(L *lua.LState) int {
			u := checkUDP(L)
			u.mu.Lock()
			alive := !u.closed && u.err == ""
			u.mu.Unlock()
			L.Push(lua.LBool(alive))
			return 1
		},
		"unreadbytes": func(L *lua.LState) int {
			L.Push(lua.LNumber(checkUDP(L).UnreadBytes()))
			return 1
		},
		// Datagrams are written before sendto returns, so none wait.
		"unsentbytes": func(L *lua.LState) int {
			checkUDP(L)
			L.Push(lua.LNumber(0))
			return 1
		},
	}
	mt := L.NewTypeMetatable(udpTypeName)
	index := L.SetFuncs(L.NewTable(), methods)
	L.SetField(mt, "__index", L.NewFunction(func(L *lua.LState) int {
		u := checkUDP(L)
		key := L.CheckString(2)
		if key == "fd" {
			if u.Closed() {
				L.Push(lua.LNil)
			} else {
				L.Push(lua.LNumber(u.fd))
			}
			return 1
		}
		L.Push(index.RawGetString(key))
		return 1
	}))
	L.SetField(mt, "__close", L.NewFunction(methods["close"]))
	L.SetField(mt, "__tostring", L.NewFunction(func(L *lua.LState) int {
		u := checkUDP(L)
		L.Push(lua.LString("udp: " + u.pc.LocalAddr().String()))
		return 1
	}))
	wrap := func(L *lua.LState, pc *net.UDPConn, connected bool) int {
		st := stateOf(L, rt)
		st.nextFD++
		ud := L.NewUserData()
		ud.Value = newUDPConn(rt, pc, connected, st.nextFD)
		L.SetMetatable(ud, mt)
		L.Push(ud)
		return 1
	}
	mod := L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"bind": func(L *lua.LState) int {
			addr, ok := L.Get(1).(lua.LString)
			if !ok {
				L.RaiseError("udp.bind missing addr")
			}
			pc, e := udpBind(string(addr))
			if e != "" {
				L.Push(lua.LNil)
				L.Push(lua.LString(e))
				return 2
			}
			return wrap(L, pc, false)
		},
		"connect": func(L *lua.LState) int {
			addr, ok := L.Get(1).(lua.LString)
			if !ok {
				L.RaiseError("udp.connect missing addr")
			}
			var bind string
			if opts, ok := L.Get(2).(*lua.LTable); ok {
				bind = lua.LVAsString(opts.RawGetString("bindaddr"))
			}
			pc, e := udpConnect(string(addr), bind)
			if e != "" {
				L.Push(lua.LNil)
				L.Push(lua.LString(e))
				return 2
			}
			return wrap(L, pc, true)
		},
	})
	for _, name := range []string{"recvfrom", "close", "isalive", "sendto"} {
		mod.RawSetString(name, index.RawGetString(name))
	}
	return mod
}

func checkUDP(L *lua.LState) *UDPConn {
	ud := L.CheckUserData(1)
	if u, ok := ud.Value.(*UDPConn); ok {
		return u
	}
	L.ArgError(1, "silly udp conn expected")
	return nil
}
