package socket

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/golua-ws/golua-ws/luamod/golua/worker"
	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
)

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
		L.Push(socketModule(rt, L))
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
		if s.closed.Load() || s.detached {
			return pushErr(L, errBadFD)
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
		if s.closed.Load() || s.detached {
			return pushErr(L, errBadFD)
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
			if s.closed.Load() || s.detached {
				return pushErr(L, errBadFD)
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
			data, err := os.ReadFile(path)
			if err != nil {
				return pushErr(L, ErrString(err))
			}
			offset := L.OptInt(4, 0)
			if offset > len(data) {
				offset = len(data)
			}
			data = data[offset:]
			if n := L.OptInt(3, len(data)); n < len(data) {
				data = data[:n]
			}
			if e := s.Write(rt.MustTask(L), string(data), optTimeout(L, 5)); e != "" {
				return pushErr(L, e)
			}
			L.Push(lua.LNumber(len(data)))
			return 1
		},
		"accept": func(L *lua.LState) int {
			s := check(L)
			if s.ln == nil {
				return pushErr(L, "Invalid argument")
			}
			c, e := s.Accept(rt.MustTask(L), optTimeout(L, 2))
			if e != "" {
				return pushErr(L, e)
			}
			L.Push(c.Push(L))
			L.Push(addrTable(L, c.conn.RemoteAddr()))
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
			if s.ln != nil {
				L.Push(addrTable(L, s.ln.Addr()))
				return 1
			}
			if s.closed.Load() {
				return pushErr(L, errBadFD)
			}
			L.Push(addrTable(L, s.conn.LocalAddr()))
			return 1
		},
		"getpeername": func(L *lua.LState) int {
			s := check(L)
			if s.ln != nil {
				return pushErr(L, "Transport endpoint is not connected")
			}
			if s.closed.Load() {
				return pushErr(L, errBadFD)
			}
			L.Push(addrTable(L, s.conn.RemoteAddr()))
			return 1
		},
		"getfd": func(L *lua.LState) int {
			L.Push(lua.LNumber(fdOf(check(L))))
			return 1
		},
		"setoption": func(L *lua.LState) int {
			s := check(L)
			name := L.CheckString(2)
			if err := setOption(s, name, L.Get(3)); err != nil {
				if errors.Is(err, errUnsupported) {
					L.RaiseError("unsupported option '%s'", name)
				}
				return pushErr(L, ErrString(err))
			}
			L.Push(lua.LTrue)
			return 1
		},
	}
}

var errUnsupported = errors.New("unsupported option")

func fdOf(s *Socket) int {
	var sc syscall.Conn
	switch {
	case s.ln != nil:
		sc, _ = s.ln.(syscall.Conn)
	default:
		sc, _ = s.conn.(syscall.Conn)
	}
	if sc == nil {
		return -1
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return -1
	}
	fd := -1
	_ = rc.Control(func(f uintptr) { fd = int(f) })
	return fd
}

// setOption applies the subset of lua-eco's socket options Go exposes on a
// connected TCP socket.
func setOption(s *Socket, name string, v lua.LValue) error {
	tc, _ := s.conn.(*net.TCPConn)
	b, isBool := v.(lua.LBool)
	switch name {
	case "tcp_nodelay", "keepalive":
		if !isBool {
			return errors.New("boolean expected")
		}
		if tc == nil {
			return syscall.EBADF
		}
		if name == "tcp_nodelay" {
			return tc.SetNoDelay(bool(b))
		}
		return tc.SetKeepAlive(bool(b))
	case "sndbuf", "rcvbuf":
		n, ok := v.(lua.LNumber)
		if !ok || tc == nil {
			return syscall.EINVAL
		}
		if name == "sndbuf" {
			return tc.SetWriteBuffer(int(n))
		}
		return tc.SetReadBuffer(int(n))
	case "reuseaddr", "reuseport", "broadcast", "ipv6_v6only", "mark", "tcp_keepidle",
		"tcp_keepintvl", "tcp_keepcnt", "tcp_fastopen", "bindtodevice":
		return nil // accepted; Go's listeners and dialers already set what TCP needs
	}
	return errUnsupported
}

func socketModule(rt *runtime.Runtime, L *lua.LState) *lua.LTable {
	metatable(rt, L)
	m := L.NewTable()
	for k, v := range map[string]int{
		"AF_INET": afInet, "AF_INET6": afInet6, "AF_UNIX": 1,
		"SOCK_STREAM": 1, "SOCK_DGRAM": 2, "IPPROTO_TCP": 6, "IPPROTO_UDP": 17,
	} {
		m.RawSetString(k, lua.LNumber(v))
	}
	L.SetFuncs(m, map[string]lua.LGFunction{
		"is_ip_address": func(L *lua.LState) int {
			L.Push(lua.LBool(net.ParseIP(L.CheckString(1)) != nil))
			return 1
		},
		"is_ipv4_address": func(L *lua.LState) int {
			ip := net.ParseIP(L.CheckString(1))
			L.Push(lua.LBool(ip != nil && ip.To4() != nil && !hasColon(L.CheckString(1))))
			return 1
		},
		"is_ipv6_address": func(L *lua.LState) int {
			ip := net.ParseIP(L.CheckString(1))
			L.Push(lua.LBool(ip != nil && hasColon(L.CheckString(1))))
			return 1
		},
		"listen_tcp": func(L *lua.LState) int {
			ln, e := listenTCP(rt, L, 1)
			if e != "" {
				return pushErr(L, e)
			}
			L.Push(wrapListener(rt, ln, nil).Push(L))
			return 1
		},
		"connect_tcp": func(L *lua.LState) int {
			addr := hostPort(L, 1)
			t := rt.MustTask(L)
			var c net.Conn
			err := t.Block(func(ctx context.Context) error {
				d := net.Dialer{Timeout: connectTimeout}
				var err error
				c, err = d.DialContext(ctx, "tcp", addr)
				return err
			})
			if err != nil {
				return pushErr(L, ErrString(err))
			}
			L.Push(Wrap(rt, c, nil).Push(L))
			return 1
		},
	})
	return m
}

func hasColon(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == ':' {
			return true
		}
	}
	return false
}

// hostPort reads (ip, port) at n, n+1. lua-eco raises for a host name.
func hostPort(L *lua.LState, n int) string {
	ip := L.CheckString(n)
	if net.ParseIP(ip) == nil {
		L.ArgError(n, "not a valid IP address")
	}
	return net.JoinHostPort(ip, strconv.Itoa(L.CheckInt(n+1)))
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
	var lc net.ListenConfig
	if opts != nil && opts.RawGetString("reuseport") == lua.LTrue {
		lc.Control = func(_, _ string, c syscall.RawConn) error { return worker.SetReusePort(c) }
	}
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
