package socket

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	_ "embed"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/golua-ws/golua-ws/luamod/eco/fdio"
	"github.com/golua-ws/golua-ws/luamod/golua/worker"
	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
)

// socketSource is eco.socket: lua-eco's socket objects (a table holding
// the eco.internal.socket socket and eco.reader/eco.writer on its fd)
// written in Lua over eco.internal.socket, eco.reader, eco.writer, eco.sync
// and eco.internal.file, as lua-eco's is, so that scripts (and lua-eco's
// tests) that reach those modules or the object's fields see the same
// composition.
//
//go:embed socket.lua
var socketSource []byte

// metaName names the socket metatable in the VM registry; the HTTP and
// WebSocket bindings push sockets with the same metatable.
const metaName = "eco.socket"

// Address families as Linux numbers them (lua-eco returns the raw values).
const (
	afInet  = 2
	afInet6 = 10
)

// connectTimeout is lua-eco's fixed wait for a TCP connect (socket.lua).
const connectTimeout = 5 * time.Second

// Register makes "eco.socket" available to require in rt.
func Register(rt *runtime.Runtime) {
	rt.RegisterModule("eco.socket", func(L *lua.LState) int {
		fn, err := rt.Compile(socketSource, "@eco/socket.lua")
		if err != nil {
			L.RaiseError("eco.socket: %v", err)
		}
		L.Push(fn)
		L.Call(0, 1)
		return 1
	})
	rt.RegisterModule("eco.internal.socket", func(L *lua.LState) int {
		L.Push(internalModule(rt, L))
		return 1
	})
}

// Push returns the Lua value of s (a userdata with the socket methods).
func (s *Socket) Push(L *lua.LState) *lua.LUserData {
	ud := L.NewUserData()
	ud.Value = s
	L.SetMetatable(ud, metatable(s.rt, L))
	return ud
}

// FromValue returns the Socket inside a Lua value made by Push.
func FromValue(v lua.LValue) (*Socket, bool) {
	ud, ok := v.(*lua.LUserData)
	if !ok {
		return nil, false
	}
	s, ok := ud.Value.(*Socket)
	return s, ok
}

func check(L *lua.LState) *Socket {
	s, ok := FromValue(L.Get(1))
	if !ok {
		L.ArgError(1, "socket expected")
	}
	return s
}

// metatable returns the VM's socket metatable, creating it on first use.
func metatable(rt *runtime.Runtime, L *lua.LState) *lua.LTable {
	if mt, ok := L.G.Registry.RawGetString(metaName).(*lua.LTable); ok {
		return mt
	}
	mt := L.NewTypeMetatable(metaName)
	methods := L.SetFuncs(L.NewTable(), socketMethods(rt))
	mt.RawSetString("__index", methods)
	mt.RawSetString("__name", lua.LString(metaName))
	mt.RawSetString("__close", methods.RawGetString("close"))
	mt.RawSetString("__tostring", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString(fmt.Sprintf("eco.socket: %p", L.CheckUserData(1))))
		return 1
	}))
	return mt
}

func optTimeout(L *lua.LState, n int) float64 {
	if v, ok := L.Get(n).(lua.LNumber); ok {
		return float64(v)
	}
	return 0
}

func pushErr(L *lua.LState, e string) int {
	L.Push(lua.LNil)
	L.Push(lua.LString(e))
	return 2
}

// addrTable builds lua-eco's address table {family, ipaddr, port}.
func addrTable(L *lua.LState, a net.Addr) lua.LValue {
	var ip net.IP
	var port int
	switch a := a.(type) {
	case *net.TCPAddr:
		ip, port = a.IP, a.Port
	case *net.UDPAddr:
		ip, port = a.IP, a.Port
	default:
		return lua.LNil
	}
	t := L.CreateTable(0, 3)
	if ip4 := ip.To4(); ip4 != nil {
		t.RawSetString("family", lua.LNumber(afInet))
		t.RawSetString("ipaddr", lua.LString(ip4.String()))
	} else {
		t.RawSetString("family", lua.LNumber(afInet6))
		t.RawSetString("ipaddr", lua.LString(ip.String()))
	}
	t.RawSetString("port", lua.LNumber(port))
	return t
}

// AddrTable is addrTable for the other eco bindings (con:remote_addr()).
func AddrTable(L *lua.LState, a net.Addr) lua.LValue { return addrTable(L, a) }

// AddrPortTable is AddrTable for an address already parsed into a
// netip.AddrPort: the same table, without the net.TCPAddr a conversion
// would allocate.
func AddrPortTable(L *lua.LState, ap netip.AddrPort) *lua.LTable {
	ip := ap.Addr().WithZone("")
	t := L.CreateTable(0, 3)
	if ip.Is4In6() {
		ip = ip.Unmap()
	}
	if ip.Is4() {
		t.RawSetString("family", lua.LNumber(afInet))
	} else {
		t.RawSetString("family", lua.LNumber(afInet6))
	}
	t.RawSetString("ipaddr", lua.LString(ip.String()))
	t.RawSetString("port", lua.LNumber(ap.Port()))
	return t
}

func socketMethods(rt *runtime.Runtime) map[string]lua.LGFunction {
	read := func(L *lua.LState) int {
		s := check(L)
		timeout := optTimeout(L, 3)
		var n int
		var format string
		switch v := L.Get(2).(type) {
		case lua.LNumber:
			if float64(v) != float64(int64(v)) {
				L.ArgError(2, "invalid format")
			}
			n = int(v)
			if n <= 0 {
				L.ArgError(2, "expected size must be greater than 0")
			}
		case lua.LString:
			format = string(v)
			if len(format) > 0 && format[0] == '*' {
				format = format[1:]
			}
			if format == "" {
				L.ArgError(2, "invalid format")
			}
			format = format[:1]
			if format != "l" && format != "L" && format != "a" {
				L.ArgError(2, "invalid format")
			}
		default:
			L.ArgError(2, "invalid format")
		}
		t := rt.MustTask(L)
		s.beginRead(L)
		defer func() { s.reading = false }()
		if e := s.ioState(); e != "" {
			return pushErr(L, e)
		}
		switch format {
		case "":
			v, e := s.ReadSome(t, n, timeout)
			if e != "" {
				return pushErr(L, e)
			}
			L.Push(v)
		case "a":
			v, e := s.readAll(t, timeout)
			if e != "" {
				return pushErr(L, e)
			}
			L.Push(v)
		default:
			v, e := s.readLine(t, format == "L", timeout)
			if e != "" {
				return pushErr(L, e)
			}
			L.Push(v)
		}
		return 1
	}
	readfull := func(L *lua.LState) int {
		s := check(L)
		n := L.CheckInt(2)
		if n <= 0 {
			L.ArgError(2, "size must be greater than 0")
		}
		timeout := optTimeout(L, 3)
		t := rt.MustTask(L)
		s.beginRead(L)
		defer func() { s.reading = false }()
		if e := s.ioState(); e != "" {
			return pushErr(L, e)
		}
		v, e := s.ReadFull(t, n, timeout)
		if e != "" {
			return pushErr(L, e)
		}
		L.Push(v)
		return 1
	}
	send := func(L *lua.LState) int {
		s := check(L)
		data := L.CheckString(2)
		timeout := optTimeout(L, 3)
		if e := s.Write(rt.MustTask(L), data, timeout); e != "" {
			return pushErr(L, e)
		}
		L.Push(lua.LNumber(len(data)))
		return 1
	}
	return map[string]lua.LGFunction{
		"read":     read,
		"recv":     read,
		"readfull": readfull,
		"recvfull": readfull,
		"readuntil": func(L *lua.LState) int {
			s := check(L)
			needle := L.CheckString(2)
			if len(needle) < 1 || len(needle) > 256 {
				L.ArgError(2, "needle length must be 1~256 bytes")
			}
			timeout := optTimeout(L, 3)
			t := rt.MustTask(L)
			s.beginRead(L)
			defer func() { s.reading = false }()
			if e := s.ioState(); e != "" {
				return pushErr(L, e)
			}
			v, found, e := s.ReadUntil(t, needle, timeout)
			if e != "" {
				return pushErr(L, e)
			}
			L.Push(v)
			if found {
				L.Push(lua.LTrue)
				return 2
			}
			return 1
		},
		"send":  send,
		"write": send,
		"sendfile": func(L *lua.LState) int {
			s := check(L)
			path := L.CheckString(2)
			offset := int64(L.OptInt(4, 0))
			length := int64(-1)
			if v, ok := L.Get(3).(lua.LNumber); ok {
				length = int64(v)
			}
			n, err := s.SendFile(rt.MustTask(L), path, offset, length, optTimeout(L, 5))
			if err != nil {
				return pushErr(L, ErrString(err))
			}
			L.Push(lua.LNumber(n))
			return 1
		},
		"accept": func(L *lua.LState) int {
			s := check(L)
			if s.listening {
				c, peer, err := s.acceptFile(rt.MustTask(L), optTimeout(L, 2))
				if err != nil {
					return pushErr(L, ErrString(err))
				}
				L.Push(c.Push(L))
				L.Push(sockaddrTable(L, peer))
				return 2
			}
			if s.ln == nil {
				if s.closed.Load() {
					return pushErr(L, errBadFD)
				}
				return pushErr(L, "Invalid argument")
			}
			c, e := s.Accept(rt.MustTask(L), optTimeout(L, 2))
			if e != "" {
				return pushErr(L, e)
			}
			L.Push(c.Push(L))
			if sa, err := c.peerName(); err == nil {
				L.Push(sockaddrTable(L, sa))
			} else {
				L.Push(addrTable(L, c.conn.RemoteAddr())) // TLS: no descriptor of its own
			}
			return 2
		},
		"close": func(L *lua.LState) int {
			_ = check(L).Close()
			return 0
		},
		"closed": func(L *lua.LState) int {
			L.Push(lua.LBool(check(L).closed.Load()))
			return 1
		},
		"getsockname": func(L *lua.LState) int {
			s := check(L)
			if s.closed.Load() {
				return pushErr(L, errBadFD)
			}
			if sa, err := s.sockName(); err == nil {
				L.Push(sockaddrTable(L, sa))
				return 1
			}
			if s.ln != nil {
				L.Push(addrTable(L, s.ln.Addr()))
				return 1
			}
			L.Push(addrTable(L, s.conn.LocalAddr()))
			return 1
		},
		"getpeername": func(L *lua.LState) int {
			s := check(L)
			if s.closed.Load() {
				return pushErr(L, errBadFD)
			}
			if s.ln != nil {
				return pushErr(L, "Transport endpoint is not connected")
			}
			sa, err := s.peerName()
			if err == nil {
				L.Push(sockaddrTable(L, sa))
				return 1
			}
			if s.conn == nil || errors.Is(err, syscall.ENOTCONN) {
				return pushErr(L, ErrString(err))
			}
			L.Push(addrTable(L, s.conn.RemoteAddr())) // a TLS connection has no descriptor of its own
			return 1
		},
		"getfd": func(L *lua.LState) int {
			s := check(L)
			fd := fdOf(s)
			if fd >= 0 {
				s.fdShared = true
			}
			L.Push(lua.LNumber(fd))
			return 1
		},
		"setoption": func(L *lua.LState) int {
			s := check(L)
			name := L.CheckString(2)
			if _, ok := sockopts[name]; !ok {
				L.ArgError(2, fmt.Sprintf("unsupported option '%s'", name))
			}
			ov, _ := checkSockopt(L, name, L.Get(3), 3)
			if err := s.control(ov.apply); err != nil {
				return pushErr(L, ErrString(err))
			}
			L.Push(lua.LTrue)
			return 1
		},
		"getoption": func(L *lua.LState) int {
			s := check(L)
			if name := L.CheckString(2); name != "error" {
				L.ArgError(2, fmt.Sprintf("unsupported option '%s'", name))
			}
			var soErr int
			if err := s.control(func(fd int) (err error) {
				soErr, err = syscall.GetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_ERROR)
				return
			}); err != nil {
				L.Push(lua.LString(ErrString(err)))
				return 1
			}
			if soErr != 0 {
				L.Push(lua.LString(fdio.Strerror(syscall.Errno(soErr))))
				return 1
			}
			L.Push(lua.LNil)
			return 1
		},
		"bind": func(L *lua.LState) int {
			s := check(L)
			sa, e := sockaddrArgs(L, s, 2)
			if e != "" {
				return pushErr(L, e)
			}
			if err := s.Bind(sa); err != nil {
				return pushErr(L, ErrString(err))
			}
			L.Push(L.Get(1))
			return 1
		},
		"listen": func(L *lua.LState) int {
			s := check(L)
			if err := s.Listen(L.OptInt(2, syscall.SOMAXCONN)); err != nil {
				return pushErr(L, ErrString(err))
			}
			L.Push(L.Get(1))
			return 1
		},
		"connect": func(L *lua.LState) int {
			s := check(L)
			sa, e := sockaddrArgs(L, s, 2)
			if e != "" {
				return pushErr(L, e)
			}
			if err := s.Connect(rt.MustTask(L), sa); err != nil {
				return pushErr(L, ErrString(err))
			}
			L.Push(L.Get(1))
			return 1
		},
		"sendto": func(L *lua.LState) int {
			s := check(L)
			data := L.CheckString(2)
			sa, e := sockaddrArgs(L, s, 3)
			if e != "" {
				return pushErr(L, e)
			}
			n, err := s.SendTo(rt.MustTask(L), []byte(data), sa)
			if err != nil {
				return pushErr(L, ErrString(err))
			}
			L.Push(lua.LNumber(n))
			return 1
		},
		"recvfrom": func(L *lua.LState) int {
			s := check(L)
			n := L.CheckInt(2)
			if n < 1 {
				L.ArgError(2, "must be greater than 0")
			}
			data, from, err := s.RecvFrom(rt.MustTask(L), n, optTimeout(L, 3))
			if err != nil {
				return pushErr(L, ErrString(err))
			}
			L.Push(lua.LString(data))
			L.Push(sockaddrTable(L, from))
			return 2
		},
	}
}

func fdOf(s *Socket) int {
	fd := -1
	_ = s.control(func(f int) error { fd = f; return nil })
	return fd
}

func hasColon(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == ':' {
			return true
		}
	}
	return false
}

// ListenTCP creates rt's TCP listener from lua-eco's (ip, port, options)
// arguments at n, n+1, n+2. ip nil means any address (IPv6 with
// options.ipv6). Under --workers the port is shared with the other workers
// (worker.Listen). It returns lua-eco's error string on failure.
func ListenTCP(rt *runtime.Runtime, L *lua.LState, n int) (net.Listener, string) {
	return listenTCP(rt, L, n)
}

func listenTCP(rt *runtime.Runtime, L *lua.LState, n int) (net.Listener, string) {
	opts, _ := L.Get(n + 2).(*lua.LTable)
	ip := "0.0.0.0"
	network := "tcp4"
	if opts != nil && lua.LVAsBool(opts.RawGetString("ipv6")) {
		ip, network = "::", "tcp6"
	}
	if v, ok := L.Get(n).(lua.LString); ok {
		ip = string(v)
		if net.ParseIP(ip) == nil {
			L.ArgError(n, "not a valid IP address")
		}
		if hasColon(ip) {
			network = "tcp6"
		}
	}
	port := L.CheckInt(n + 1)
	family := afInet
	if network == "tcp6" {
		family = afInet6
	}
	ovs := optionsFrom(L, opts, append(append([]string(nil), createOpts...), streamOpts...), family, syscall.SOCK_STREAM)
	lc := net.ListenConfig{Control: controlOptions(ovs)}
	ln, err := worker.Listen(rt, lc, network, net.JoinHostPort(ip, strconv.Itoa(port)))
	if err != nil {
		return nil, ErrString(err)
	}
	return ln, ""
}

// TLSClientConfig builds the client TLS configuration from lua-eco's ssl
// options (insecure, ca, cert, key, server_name). The server's certificate
// is verified (against ca, else the system roots) unless insecure is true.
// Errors start with lua-eco's words for them ("load ca file fail", ...).
func TLSClientConfig(opts *lua.LTable, serverName string) (*tls.Config, error) {
	cfg := &tls.Config{ServerName: serverName}
	if opts == nil {
		return cfg, nil
	}
	if v, ok := opts.RawGetString("server_name").(lua.LString); ok {
		cfg.ServerName = string(v)
	}
	cfg.InsecureSkipVerify = lua.LVAsBool(opts.RawGetString("insecure"))
	if ca, ok := opts.RawGetString("ca").(lua.LString); ok {
		pem, err := os.ReadFile(string(ca))
		if err != nil {
			return nil, fmt.Errorf("load ca file fail: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("load ca file fail: no certificate in %s", ca)
		}
		cfg.RootCAs = pool
	}
	cert, ok1 := opts.RawGetString("cert").(lua.LString)
	key, ok2 := opts.RawGetString("key").(lua.LString)
	if ok1 && ok2 {
		kp, err := tls.LoadX509KeyPair(string(cert), string(key))
		if err != nil {
			return nil, fmt.Errorf("load cert file fail: %w", err)
		}
		cfg.Certificates = []tls.Certificate{kp}
	}
	return cfg, nil
}

// TLSServerConfig builds the server TLS configuration from the cert and key
// file names in opts.
func TLSServerConfig(opts *lua.LTable) (*tls.Config, error) {
	cert, _ := opts.RawGetString("cert").(lua.LString)
	key, _ := opts.RawGetString("key").(lua.LString)
	kp, err := tls.LoadX509KeyPair(string(cert), string(key))
	if err != nil {
		return nil, fmt.Errorf("load certificate: %w", err)
	}
	return &tls.Config{Certificates: []tls.Certificate{kp}, NextProtos: []string{"http/1.1"}}, nil
}

// DialTLS connects to addr and completes a TLS handshake (the wait is bounded
// like lua-eco's: 5 s to connect, 15 s for the handshake).
func DialTLS(ctx context.Context, addr string, cfg *tls.Config) (net.Conn, error) {
	d := net.Dialer{Timeout: connectTimeout}
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	tc := tls.Client(c, cfg)
	hctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := tc.HandshakeContext(hctx); err != nil {
		_ = c.Close()
		return nil, err
	}
	return tc, nil
}
