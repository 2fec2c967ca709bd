package socket

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"time"

	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"
)

// Socket families and types beyond TCP, as Linux numbers them.
const (
	afUnix    = syscall.AF_UNIX
	afPacket  = syscall.AF_PACKET
	afNetlink = syscall.AF_NETLINK
)

// NewSocket is lua-eco's socket(family, type, protocol): a socket that is
// not bound, listening or connected yet.
//
// The descriptor is an *os.File registered with Go's poller for the
// socket's whole life, so that getfd returns the same number from socket()
// through connect or listen, as in lua-eco (Go's net.FileConn and
// FileListener would duplicate it). Once the socket can carry data (a
// datagram or raw socket at once, a stream socket when connect or accept
// completes) the same file is also its net.Conn (fileConn), so that the
// read buffer, send and sendfile work as on TCP; a listening socket accepts
// with accept4 on it.
func NewSocket(rt *runtime.Runtime, family, typ, proto int) (*Socket, error) {
	fd, err := syscall.Socket(family, typ|syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC, proto)
	if err != nil {
		return nil, fmt.Errorf("socket: %w", err)
	}
	return newFileSocket(rt, fd, family, typ, false), nil
}

// NewSocketPair is lua-eco's socketpair: two connected sockets.
func NewSocketPair(rt *runtime.Runtime, family, typ, proto int) (*Socket, *Socket, error) {
	fds, err := syscall.Socketpair(family, typ|syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC, proto)
	if err != nil {
		return nil, nil, fmt.Errorf("socketpair: %w", err)
	}
	return newFileSocket(rt, fds[0], family, typ, true), newFileSocket(rt, fds[1], family, typ, true), nil
}

// newFileSocket takes ownership of a fresh non-blocking descriptor, closed
// at the runtime's exit unless closed before. established marks a
// connected socket (socketpair, accept).
func newFileSocket(rt *runtime.Runtime, fd, family, typ int, established bool) *Socket {
	f := os.NewFile(uintptr(fd), "socket")
	s := &Socket{rt: rt, file: f, family: family, stype: typ, established: established}
	if established || typ != syscall.SOCK_STREAM {
		s.conn = fileConn{f}
	}
	s.stop = context.AfterFunc(rt.Context(), func() { _ = f.Close() })
	return s
}

// rawConn returns the syscall.RawConn of whichever handle the socket holds.
func (s *Socket) rawConn() (syscall.RawConn, error) {
	var sc syscall.Conn
	switch {
	case s.file != nil:
		sc = s.file
	case s.ln != nil:
		sc, _ = s.ln.(syscall.Conn)
	case s.conn != nil:
		sc, _ = s.conn.(syscall.Conn)
	}
	if sc == nil || s.closed.Load() {
		return nil, syscall.EBADF
	}
	return sc.SyscallConn()
}

// control runs fn on the socket's descriptor.
func (s *Socket) control(fn func(fd int) error) error {
	rc, err := s.rawConn()
	if err != nil {
		return err
	}
	var ferr error
	if err := rc.Control(func(fd uintptr) { ferr = fn(int(fd)) }); err != nil {
		return err
	}
	return ferr
}

// Bind binds the socket to sa.
func (s *Socket) Bind(sa syscall.Sockaddr) error {
	return s.control(func(fd int) error { return syscall.Bind(fd, sa) })
}

// Listen makes a bound stream socket listen.
func (s *Socket) Listen(backlog int) error {
	if s.listening || s.file == nil {
		return syscall.EINVAL // listening already
	}
	if err := s.control(func(fd int) error { return syscall.Listen(fd, backlog) }); err != nil {
		return err // a datagram socket: the kernel's "Operation not supported"
	}
	s.listening = true
	release := s.rt.Hold() // a listening socket keeps the runtime alive, as listen_tcp's does
	stop := s.stop
	s.stop = func() bool { release(); return stop() }
	return nil
}

// acceptFile accepts the next connection of a listening socket made by
// NewSocket, waiting up to timeout seconds (<= 0: no limit). Token required
// (released while waiting).
func (s *Socket) acceptFile(t *runtime.Task, timeout float64) (*Socket, syscall.Sockaddr, error) {
	rc, err := s.rawConn()
	if err != nil {
		return nil, nil, err
	}
	_ = s.file.SetReadDeadline(deadlineAfter(timeout))
	var nfd int
	var peer syscall.Sockaddr
	err = t.Block(func(context.Context) error {
		var aerr error
		rerr := rc.Read(func(fd uintptr) bool {
			nfd, peer, aerr = syscall.Accept4(int(fd), syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC)
			return aerr != syscall.EAGAIN
		})
		if rerr != nil {
			return rerr
		}
		return aerr
	})
	if err != nil {
		if s.closed.Load() {
			return nil, nil, net.ErrClosed
		}
		return nil, nil, err
	}
	return newFileSocket(s.rt, nfd, s.family, s.stype, true), peer, nil
}

// Connect connects the socket to sa, waiting up to lua-eco's 5 seconds for
// a stream connection to complete. Token required (it is released while
// waiting).
func (s *Socket) Connect(t *runtime.Task, sa syscall.Sockaddr) error {
	var inProgress bool
	err := s.control(func(fd int) error {
		err := syscall.Connect(fd, sa)
		if err == syscall.EINPROGRESS || err == syscall.EAGAIN {
			inProgress = true
			return nil
		}
		return err
	})
	if err != nil {
		return err
	}
	s.established = true
	if s.conn == nil && s.file != nil {
		s.conn = fileConn{s.file}
	}
	if !inProgress {
		return nil
	}
	rc, err := s.rawConn()
	if err != nil {
		return err
	}
	d := s.deadliner()
	_ = d.SetWriteDeadline(time.Now().Add(connectTimeout))
	defer d.SetWriteDeadline(time.Time{})
	var soErr error
	err = t.Block(func(context.Context) error {
		return rc.Write(func(fd uintptr) bool {
			n, err := syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_ERROR)
			switch {
			case err != nil:
				soErr = err
			case n != 0:
				soErr = syscall.Errno(n)
			default:
				// No error yet: done once the peer is known, else the
				// connection is still under way (wait for writability).
				if _, err := syscall.Getpeername(int(fd)); err == syscall.ENOTCONN {
					return false
				}
			}
			return true
		})
	})
	if err != nil {
		if s.closed.Load() {
			return net.ErrClosed // closed while waiting
		}
		return err
	}
	return soErr
}

// SendTo sends one datagram to sa (nil: to the connected peer), waiting up
// to 5 seconds for room, as lua-eco's sendto does. It returns the bytes
// sent. Token required (released while waiting).
func (s *Socket) SendTo(t *runtime.Task, data []byte, sa syscall.Sockaddr) (int, error) {
	rc, err := s.rawConn()
	if err != nil {
		return 0, err
	}
	s.setWriteTimeout(5)
	var n int
	err = t.Block(func(context.Context) error {
		s.wmu.Lock()
		defer s.wmu.Unlock()
		var serr error
		werr := rc.Write(func(fd uintptr) bool {
			if sa == nil {
				n, serr = syscall.Write(int(fd), data)
			} else {
				serr = syscall.Sendto(int(fd), data, 0, sa)
				n = len(data)
			}
			return serr != syscall.EAGAIN
		})
		if werr != nil {
			return werr
		}
		return serr
	})
	s.setWriteTimeout(0)
	if err != nil && s.closed.Load() {
		return n, net.ErrClosed // closed while waiting
	}
	return n, err
}

// RecvFrom receives one datagram of at most n bytes and its sender's
// address. Token required (released while waiting).
func (s *Socket) RecvFrom(t *runtime.Task, n int, timeout float64) ([]byte, syscall.Sockaddr, error) {
	rc, err := s.rawConn()
	if err != nil {
		return nil, nil, err
	}
	s.setReadTimeoutAny(timeout)
	p := make([]byte, n)
	var got int
	var from syscall.Sockaddr
	err = t.Block(func(context.Context) error {
		var rerr error
		werr := rc.Read(func(fd uintptr) bool {
			got, from, rerr = syscall.Recvfrom(int(fd), p, 0)
			return rerr != syscall.EAGAIN
		})
		if werr != nil {
			return werr
		}
		return rerr
	})
	if err != nil {
		if s.closed.Load() {
			return nil, nil, net.ErrClosed // closed while waiting
		}
		return nil, nil, err
	}
	return p[:got], from, nil
}

// deadliner is what both net.Conn and *os.File offer for timeouts.
type deadliner interface {
	SetReadDeadline(time.Time) error
	SetWriteDeadline(time.Time) error
}

func (s *Socket) deadliner() deadliner {
	switch {
	case s.conn != nil:
		return s.conn
	case s.file != nil:
		return s.file
	}
	return nil
}

// setReadTimeoutAny is setReadTimeout for a socket that may not be a
// net.Conn yet.
func (s *Socket) setReadTimeoutAny(timeout float64) {
	if s.conn != nil {
		s.setReadTimeout(timeout)
		return
	}
	if d := s.deadliner(); d != nil {
		_ = d.SetReadDeadline(deadlineAfter(timeout))
	}
}

func (s *Socket) setWriteTimeout(timeout float64) {
	if d := s.deadliner(); d != nil {
		_ = d.SetWriteDeadline(deadlineAfter(timeout))
	}
}

// deadlineAfter turns lua-eco's timeout in seconds into a deadline; <= 0
// means none.
func deadlineAfter(timeout float64) time.Time {
	if timeout <= 0 {
		return time.Time{}
	}
	return time.Now().Add(time.Duration(timeout * float64(time.Second)))
}

// sockaddrArgs reads the address arguments of bind, connect and sendto at
// n, n+1 for the socket's family, as lua-eco does: (ip, port) for IPv4 and
// IPv6 (ip nil means any), (path) for Unix (a leading NUL byte or '@' names
// an abstract socket), (groups, pid) for netlink, ({ifindex=, ifname=}) for
// packet sockets. A bad argument raises; an unknown interface returns
// lua-eco's message as the error.
func sockaddrArgs(L *lua.LState, s *Socket, n int) (syscall.Sockaddr, string) {
	switch s.family {
	case afInet:
		sa := &syscall.SockaddrInet4{Port: L.CheckInt(n + 1)}
		if ip, ok := L.Get(n).(lua.LString); ok {
			p := net.ParseIP(string(ip)).To4()
			if p == nil || hasColon(string(ip)) {
				L.ArgError(n, "not a valid IPv4 address")
			}
			copy(sa.Addr[:], p)
		}
		return sa, ""
	case afInet6:
		sa := &syscall.SockaddrInet6{Port: L.CheckInt(n + 1)}
		if ip, ok := L.Get(n).(lua.LString); ok {
			p := net.ParseIP(string(ip))
			if p == nil || !hasColon(string(ip)) {
				L.ArgError(n, "not a valid IPv6 address")
			}
			copy(sa.Addr[:], p.To16())
		}
		return sa, ""
	case afUnix:
		path := L.CheckString(n)
		if len(path) >= 108 {
			L.ArgError(n, "path too long")
		}
		if len(path) > 0 && path[0] == 0 {
			path = "@" + path[1:] // Go's spelling of an abstract name
		}
		return &syscall.SockaddrUnix{Name: path}, ""
	case afNetlink:
		return &syscall.SockaddrNetlink{
			Family: syscall.AF_NETLINK,
			Groups: uint32(L.OptInt(n, 0)),
			Pid:    uint32(L.OptInt(n+1, 0)),
		}, ""
	case afPacket:
		tb := L.CheckTable(n)
		sa := &syscall.SockaddrLinklayer{}
		if v, ok := tb.RawGetString("ifindex").(lua.LNumber); ok {
			ifi, err := net.InterfaceByIndex(int(v))
			if err != nil {
				return nil, fmt.Sprintf("no device with ifindex '%d'", int(v))
			}
			sa.Ifindex = ifi.Index
		}
		if v, ok := tb.RawGetString("ifname").(lua.LString); ok {
			ifi, err := net.InterfaceByName(string(v))
			if err != nil {
				return nil, fmt.Sprintf("device '%s' not exists", string(v))
			}
			sa.Ifindex = ifi.Index
		}
		return sa, ""
	}
	L.RaiseError("invalid domain")
	return nil, ""
}

// sockaddrTable is lua-eco's address table of sa: {family, ipaddr, port},
// {family, path}, {family, pid} or {family, ifindex, ifname}.
func sockaddrTable(L *lua.LState, sa syscall.Sockaddr) lua.LValue {
	t := L.CreateTable(0, 3)
	switch a := sa.(type) {
	case *syscall.SockaddrInet4:
		t.RawSetString("family", lua.LNumber(afInet))
		t.RawSetString("ipaddr", lua.LString(net.IP(a.Addr[:]).String()))
		t.RawSetString("port", lua.LNumber(a.Port))
	case *syscall.SockaddrInet6:
		t.RawSetString("family", lua.LNumber(afInet6))
		t.RawSetString("ipaddr", lua.LString(net.IP(a.Addr[:]).String()))
		t.RawSetString("port", lua.LNumber(a.Port))
	case *syscall.SockaddrUnix:
		t.RawSetString("family", lua.LNumber(afUnix))
		t.RawSetString("path", lua.LString(unixPath(a.Name)))
	case *syscall.SockaddrNetlink:
		t.RawSetString("family", lua.LNumber(afNetlink))
		t.RawSetString("pid", lua.LNumber(a.Pid))
	case *syscall.SockaddrLinklayer:
		t.RawSetString("family", lua.LNumber(afPacket))
		t.RawSetString("ifindex", lua.LNumber(a.Ifindex))
		if ifi, err := net.InterfaceByIndex(a.Ifindex); err == nil {
			t.RawSetString("ifname", lua.LString(ifi.Name))
		}
	default:
		return lua.LNil
	}
	return t
}

// unixPath spells an abstract name the way the C library returns it
// (leading NUL byte) rather than Go's '@'.
func unixPath(name string) string {
	if name == "@" {
		return "" // Go's spelling of an unnamed socket's address
	}
	if len(name) > 0 && name[0] == '@' {
		return "\x00" + name[1:]
	}
	return name
}

// sockName and peerName ask the kernel, so that they hold for sockets
// bound or connected after Go wrapped them (Go's LocalAddr and RemoteAddr
// are fixed when the net.Conn is made).
func (s *Socket) sockName() (syscall.Sockaddr, error) {
	var sa syscall.Sockaddr
	err := s.control(func(fd int) (err error) { sa, err = syscall.Getsockname(fd); return })
	return sa, err
}

func (s *Socket) peerName() (syscall.Sockaddr, error) {
	var sa syscall.Sockaddr
	err := s.control(func(fd int) (err error) { sa, err = syscall.Getpeername(fd); return })
	return sa, err
}

// unlinkBound removes the file of a Unix socket this process bound but did
// not connect (a listener, a bound datagram socket), as lua-eco's close does.
func (s *Socket) unlinkBound() {
	if s.family != afUnix || s.established {
		return
	}
	sa, err := s.sockName()
	if err != nil {
		return
	}
	if u, ok := sa.(*syscall.SockaddrUnix); ok && u.Name != "" && u.Name[0] != '@' {
		_ = os.Remove(u.Name)
	}
}

// sockopt is one of lua-eco's socket options.
type sockopt struct {
	level, name int
	kind        optKind
}

type optKind int

const (
	optBool optKind = iota
	optInt
	optDevice
	optIPMembership
	optIPv6Membership
)

// sockopts is lua-eco's table of settable options (socket.c).
var sockopts = map[string]sockopt{
	"reuseaddr":               {syscall.SOL_SOCKET, syscall.SO_REUSEADDR, optBool},
	"reuseport":               {syscall.SOL_SOCKET, unix.SO_REUSEPORT, optBool},
	"keepalive":               {syscall.SOL_SOCKET, syscall.SO_KEEPALIVE, optBool},
	"broadcast":               {syscall.SOL_SOCKET, syscall.SO_BROADCAST, optBool},
	"sndbuf":                  {syscall.SOL_SOCKET, syscall.SO_SNDBUF, optInt},
	"rcvbuf":                  {syscall.SOL_SOCKET, syscall.SO_RCVBUF, optInt},
	"mark":                    {syscall.SOL_SOCKET, syscall.SO_MARK, optInt},
	"bindtodevice":            {syscall.SOL_SOCKET, syscall.SO_BINDTODEVICE, optDevice},
	"tcp_keepidle":            {syscall.SOL_TCP, syscall.TCP_KEEPIDLE, optInt},
	"tcp_keepintvl":           {syscall.SOL_TCP, syscall.TCP_KEEPINTVL, optInt},
	"tcp_keepcnt":             {syscall.SOL_TCP, syscall.TCP_KEEPCNT, optInt},
	"tcp_fastopen":            {syscall.SOL_TCP, unix.TCP_FASTOPEN, optInt},
	"tcp_nodelay":             {syscall.SOL_TCP, syscall.TCP_NODELAY, optBool},
	"ip_add_membership":       {syscall.SOL_IP, syscall.IP_ADD_MEMBERSHIP, optIPMembership},
	"ip_drop_membership":      {syscall.SOL_IP, syscall.IP_DROP_MEMBERSHIP, optIPMembership},
	"ipv6_v6only":             {syscall.SOL_IPV6, syscall.IPV6_V6ONLY, optBool},
	"ipv6_add_membership":     {syscall.SOL_IPV6, syscall.IPV6_JOIN_GROUP, optIPv6Membership},
	"ipv6_drop_membership":    {syscall.SOL_IPV6, syscall.IPV6_LEAVE_GROUP, optIPv6Membership},
	"netlink_add_membership":  {unix.SOL_NETLINK, unix.NETLINK_ADD_MEMBERSHIP, optInt},
	"netlink_drop_membership": {unix.SOL_NETLINK, unix.NETLINK_DROP_MEMBERSHIP, optInt},
}

var errUnsupported = errors.New("unsupported option")

// optValue is one option checked against its kind, ready to apply to a
// descriptor without the VM.
type optValue struct {
	name string
	opt  sockopt
	n    int
	str  string
	ip   *syscall.IPMreq
	ip6  *syscall.IPv6Mreq
}

// checkSockopt checks lua-eco's option name = v (the value at argument argn
// for error messages). A value of the wrong type raises, as luaL_check* does;
// an unknown name returns errUnsupported.
func checkSockopt(L *lua.LState, name string, v lua.LValue, argn int) (optValue, error) {
	o, ok := sockopts[name]
	if !ok {
		return optValue{}, errUnsupported
	}
	ov := optValue{name: name, opt: o}
	switch o.kind {
	case optBool:
		b, isBool := v.(lua.LBool)
		if !isBool {
			L.ArgError(argn, "boolean expected")
		}
		if b {
			ov.n = 1
		}
	case optInt:
		n, isNum := v.(lua.LNumber)
		if !isNum {
			L.ArgError(argn, "number expected")
		}
		ov.n = int(n)
	case optDevice:
		ov.str = lua.LVAsString(v)
	case optIPMembership, optIPv6Membership:
		tb, _ := v.(*lua.LTable)
		if tb == nil {
			L.ArgError(argn, "table expected")
		}
		group := net.ParseIP(lua.LVAsString(tb.RawGetString("multiaddr")))
		if group == nil {
			L.ArgError(argn, "invalid multiaddr")
		}
		if o.kind == optIPMembership {
			ov.ip = &syscall.IPMreq{}
			copy(ov.ip.Multiaddr[:], group.To4())
			if ifa := net.ParseIP(lua.LVAsString(tb.RawGetString("interface"))).To4(); ifa != nil {
				copy(ov.ip.Interface[:], ifa)
			}
		} else {
			ov.ip6 = &syscall.IPv6Mreq{}
			copy(ov.ip6.Multiaddr[:], group.To16())
			if n, ok := tb.RawGetString("interface").(lua.LNumber); ok {
				ov.ip6.Interface = uint32(n)
			}
		}
	}
	return ov, nil
}

// apply sets the option on fd.
func (ov optValue) apply(fd int) error {
	o := ov.opt
	switch o.kind {
	case optDevice:
		return syscall.SetsockoptString(fd, o.level, o.name, ov.str)
	case optIPMembership:
		return syscall.SetsockoptIPMreq(fd, o.level, o.name, ov.ip)
	case optIPv6Membership:
		return syscall.SetsockoptIPv6Mreq(fd, o.level, o.name, ov.ip6)
	}
	return syscall.SetsockoptInt(fd, o.level, o.name, ov.n)
}

// Option names lua-eco's socket functions take from their options table:
// socket() applies createOpts, listen_tcp also streamOpts.
var (
	createOpts = []string{"reuseaddr", "reuseport", "ipv6_v6only", "mark", "device"}
	streamOpts = []string{"tcp_nodelay", "keepalive", "tcp_keepidle", "tcp_keepcnt", "tcp_keepintvl", "tcp_fastopen"}
)

// optionsFrom collects the options of names present in opts that apply to
// a socket of family and type (ipv6_v6only only to IPv6, the TCP ones only
// to TCP), as lua-eco's socket.lua does; 'device' is the bindtodevice
// option.
func optionsFrom(L *lua.LState, opts *lua.LTable, names []string, family, typ int) []optValue {
	if opts == nil {
		return nil
	}
	var out []optValue
	for _, name := range names {
		v := opts.RawGetString(name)
		if v == lua.LNil {
			continue
		}
		switch name {
		case "ipv6_v6only":
			if family != afInet6 {
				continue
			}
		case "tcp_nodelay", "tcp_keepidle", "tcp_keepcnt", "tcp_keepintvl", "tcp_fastopen":
			if typ != syscall.SOCK_STREAM || (family != afInet && family != afInet6) {
				continue
			}
		}
		key := name
		if name == "device" {
			key = "bindtodevice"
		}
		ov, err := checkSockopt(L, key, v, 1)
		if err != nil {
			continue
		}
		ov.name = name
		out = append(out, ov)
	}
	return out
}

// applyOptions sets opts on fd; the error names the option as lua-eco does.
func applyOptions(fd int, opts []optValue) error {
	for _, ov := range opts {
		if err := ov.apply(fd); err != nil {
			return fmt.Errorf("failed to set socket option '%s': %s", ov.name, ErrString(err))
		}
	}
	return nil
}

// sendfileRaw is SendFile for a socket made by NewSocket: sendfile(2) from
// f at offset, length bytes, waiting for room up to timeout seconds. A file
// shorter than asked sends what it has. Token required (released while
// sending).
func (s *Socket) sendfileRaw(t *runtime.Task, f *os.File, offset, length int64, timeout float64) (int64, error) {
	rc, err := s.rawConn()
	if err != nil {
		return 0, err
	}
	src, err := f.SyscallConn()
	if err != nil {
		return 0, err
	}
	s.setWriteTimeout(timeout)
	defer s.setWriteTimeout(0)
	var sent int64
	err = t.Block(func(context.Context) error {
		s.wmu.Lock()
		defer s.wmu.Unlock()
		var serr error
		cerr := src.Control(func(in uintptr) {
			werr := rc.Write(func(out uintptr) bool {
				for sent < length {
					off := offset + sent
					n, err := unix.Sendfile(int(out), int(in), &off, int(min(length-sent, 1<<30)))
					if n > 0 {
						sent += int64(n)
					}
					switch {
					case err == unix.EAGAIN:
						return false // wait for room
					case err != nil:
						serr = err
						return true
					case n == 0:
						return true // the file ended early
					}
				}
				return true
			})
			if serr == nil {
				serr = werr
			}
		})
		if cerr != nil {
			return cerr
		}
		return serr
	})
	if err != nil && s.closed.Load() {
		return sent, net.ErrClosed
	}
	return sent, err
}
