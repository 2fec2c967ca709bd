package sillynet

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/golua-ws/golua-ws/luamod/golua/worker"
	"github.com/golua-ws/golua-ws/runtime"
	"github.com/golua-ws/golua-ws/runtime/lua54"
	lua "github.com/yuin/gopher-lua"
)

// Register makes "silly.net.tcp", "silly.net.tls", "silly.net.udp",
// "silly.net.addr" and "silly.net.dns" available to require in rt.
func Register(rt *runtime.Runtime) {
	rt.RegisterModule("silly.net.tcp", func(L *lua.LState) int {
		mod := L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
			"listen":  func(L *lua.LState) int { return listen(L, rt, false) },
			"connect": func(L *lua.LState) int { return connect(L, rt, false) },
			// Deprecated module-level aliases silly keeps (tcp.lua:339-358).
			"read":     connRead,
			"readline": connRead,
			"write":    connWrite,
			"close":    closeConnOrListener,
			"limit":    connLimit,
			"isalive":  connIsAlive,
			"recvsize": connUnread,
			"sendsize": connUnsent,
		})
		L.Push(mod)
		return 1
	})
	rt.RegisterModule("silly.net.tls", func(L *lua.LState) int {
		mod := L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
			"listen":  func(L *lua.LState) int { return listen(L, rt, true) },
			"connect": func(L *lua.LState) int { return connect(L, rt, true) },
			// golua-ws addition: generate a self-signed certificate.
			"selfsigned": tlsSelfSigned,
			// Deprecated module-level aliases silly keeps (tls.lua's
			// "for compatibility" block).
			"read":      connRead,
			"readline":  connRead,
			"write":     connWrite,
			"close":     closeConnOrListener,
			"limit":     connLimit,
			"isalive":   connIsAlive,
			"recvsize":  connUnread,
			"sendsize":  connUnsent,
			"alpnproto": connALPN,
			"reload":    listenerReload,
		})
		L.Push(mod)
		return 1
	})
	rt.RegisterModule("silly.net.udp", func(L *lua.LState) int {
		L.Push(udpModule(L, rt))
		return 1
	})
	rt.RegisterModule("silly.net.addr", func(L *lua.LState) int {
		L.Push(addrModule(L))
		return 1
	})
	rt.RegisterModule("silly.net.dns", func(L *lua.LState) int {
		L.Push(dnsModule(L, rt))
		return 1
	})
}

// Listener is an open listening socket (tcp or tls).
type Listener struct {
	ln      net.Listener
	fd      int
	release func()
	conf    *tls.Config             // tls listeners only
	reload  func([]tls.Certificate) // tls listeners only: swaps certificates
	mu      sync.Mutex
	closed  bool
}

// NewListener wraps a listener opened with Listen. reload, for TLS
// listeners, replaces the certificates (listener:reload); nil otherwise.
func NewListener(ln net.Listener, release func(), reload func([]tls.Certificate)) *Listener {
	return &Listener{ln: ln, release: release, reload: reload}
}

// Close closes the listening socket; accepted conns stay open. It reports
// false if it was already closed.
func (l *Listener) Close() bool {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return false
	}
	l.closed = true
	l.mu.Unlock()
	l.ln.Close()
	l.release()
	return true
}

// Addr returns the listening address (useful with port 0).
func (l *Listener) Addr() net.Addr { return l.ln.Addr() }

// Listen opens a listening socket for silly's addr syntax and ties it to the
// runtime: it keeps the runtime alive until closed and is closed at exit.
// Under --workers the port is shared with the other workers (worker.Listen).
func Listen(rt *runtime.Runtime, addr string) (net.Listener, func(), string) {
	hostport, e := ParseAddr(addr)
	if e != "" {
		return nil, nil, e
	}
	ln, err := worker.Listen(rt, net.ListenConfig{}, "tcp", hostport)
	if err != nil {
		return nil, nil, ErrString(err)
	}
	release := rt.Hold()
	stop := context.AfterFunc(rt.Context(), func() { ln.Close() })
	return ln, func() { stop(); release() }, ""
}

// PushListener makes the Lua listener object for ln: field fd,
// close() and, for tls, reload(conf).
func PushListener(L *lua.LState, rt *runtime.Runtime, l *Listener) *lua.LUserData {
	l.fd = stateOf(L, rt).nextFD + 1
	stateOf(L, rt).nextFD++
	ud := L.NewUserData()
	ud.Value = l
	L.SetMetatable(ud, listenerMeta(L))
	return ud
}

func checkListener(L *lua.LState) *Listener {
	ud := L.CheckUserData(1)
	l, ok := ud.Value.(*Listener)
	if !ok {
		L.ArgError(1, "listener expected")
	}
	return l
}

// closeConnOrListener is the module-level close(s) silly keeps for
// compatibility: s:close() for a conn or a listener.
func closeConnOrListener(L *lua.LState) int {
	if ud, ok := L.Get(1).(*lua.LUserData); ok {
		if l, ok := ud.Value.(*Listener); ok {
			if !l.Close() {
				return PushStatus(L, ErrClosed)
			}
			L.Push(lua.LTrue)
			return 1
		}
	}
	return connClose(L)
}

// listenerReload is listener:reload(conf) and tls.reload(listener, conf):
// conf.certs, when given, replaces the certificates for new handshakes.
func listenerReload(L *lua.LState) int {
	l := checkListener(L)
	l.mu.Lock()
	closed := l.closed
	l.mu.Unlock()
	if closed {
		return PushStatus(L, ErrClosed)
	}
	if l.reload == nil {
		// silly: a listener without a TLS configuration.
		return PushStatus(L, ErrInval)
	}
	if tbl, ok := L.Get(2).(*lua.LTable); ok {
		if certs, ok := tbl.RawGetString("certs").(*lua.LTable); ok {
			cs, err := ParseCerts(certs)
			if err != nil {
				return PushStatus(L, err.Error())
			}
			l.reload(cs)
		}
	}
	L.Push(lua.LTrue)
	return 1
}

func listenerMeta(L *lua.LState) *lua.LTable {
	const name = "silly.net.listener"
	if mt, ok := L.GetTypeMetatable(name).(*lua.LTable); ok {
		return mt
	}
	mt := L.NewTypeMetatable(name)
	methods := L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"close": func(L *lua.LState) int {
			if !checkListener(L).Close() {
				return PushStatus(L, ErrClosed)
			}
			L.Push(lua.LTrue)
			return 1
		},
		"reload": listenerReload,
		"addr": func(L *lua.LState) int {
			L.Push(lua.LString(checkListener(L).ln.Addr().String()))
			return 1
		},
	})
	L.SetField(mt, "__index", L.NewFunction(func(L *lua.LState) int {
		l := checkListener(L)
		key := L.CheckString(2)
		if key == "fd" {
			l.mu.Lock()
			closed := l.closed
			l.mu.Unlock()
			if closed {
				L.Push(lua.LNil)
			} else {
				L.Push(lua.LNumber(l.fd))
			}
			return 1
		}
		L.Push(methods.RawGetString(key))
		return 1
	}))
	return mt
}

// listen implements tcp.listen and tls.listen:
// listen{addr=, accept=fn(conn), backlog?, certs?, alpnprotos?}.
func listen(L *lua.LState, rt *runtime.Runtime, useTLS bool) int {
	conf := L.CheckTable(1)
	addr, ok := conf.RawGetString("addr").(lua.LString)
	if !ok {
		L.RaiseError("listen: missing addr")
	}
	accept, ok := conf.RawGetString("accept").(*lua.LFunction)
	if !ok {
		L.RaiseError("listen: accept must be a function")
	}
	l := &Listener{}
	if useTLS {
		certs, ok := conf.RawGetString("certs").(*lua.LTable)
		if !ok || certs.Len() == 0 {
			L.RaiseError("tls.listen: certs must be a non-empty table")
		}
		cfg, reload, err := TLSServerConfig(certs, StringList(conf.RawGetString("alpnprotos")))
		if err != nil {
			L.RaiseError("tls.listen: %s", err.Error())
		}
		l.conf, l.reload = cfg, reload
	}
	ln, release, e := Listen(rt, string(addr))
	if e != "" {
		L.Push(lua.LNil)
		L.Push(lua.LString(e))
		return 2
	}
	l.ln, l.release = ln, release
	ud := PushListener(L, rt, l)
	go acceptLoop(rt, l, accept)
	L.Push(ud)
	return 1
}

func acceptLoop(rt *runtime.Runtime, l *Listener, accept *lua.LFunction) {
	for {
		nc, err := l.ln.Accept()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			l.mu.Lock()
			closedByScript := l.closed
			l.mu.Unlock()
			if !closedByScript && !errors.Is(err, net.ErrClosed) && rt.Context().Err() == nil {
				// The port stops serving without the script asking: say so
				// (silly's own loop would log the failed accept too).
				addr := l.ln.Addr().String()
				rt.Report(nil, slog.LevelError, LogHeader('E', 0)+"[silly] accept on "+addr+" failed, listener closed: "+err.Error(),
					"accept failed, listener closed", slog.String("listen", addr), slog.String("error", err.Error()))
			}
			l.Close()
			return
		}
		remote := nc.RemoteAddr().String()
		if l.conf != nil {
			nc = tls.Server(nc, l.conf)
		}
		if rt.Start("silly.net accept", runtime.Queued|runtime.ReuseThread, func(t *runtime.Task) error {
			if tc, ok := nc.(*tls.Conn); ok {
				err := t.Block(func(ctx context.Context) error {
					hctx, cancel := context.WithTimeout(ctx, 30*time.Second)
					defer cancel()
					return tc.HandshakeContext(hctx)
				})
				if err != nil {
					// silly logs the OpenSSL detail and drops the conn.
					nc.Close()
					return nil
				}
			}
			c, ud := wrapConn(t.L, rt, nc, remote, true)
			L := t.L
			L.Push(accept)
			L.Push(ud)
			if err := lua54.PCall(L, 1, 0, nil); err != nil {
				c.Close()
				return err
			}
			return nil
		}) == nil {
			// The task limit (or shutdown) refuses the connection.
			nc.Close()
		}
	}
}

// connect implements tcp.connect(addr, opts?) and tls.connect(addr, opts?).
func connect(L *lua.LState, rt *runtime.Runtime, useTLS bool) int {
	t := rt.MustTask(L)
	addr, ok := L.Get(1).(lua.LString)
	if !ok {
		if useTLS {
			L.RaiseError("tls.connect missing addr")
		}
		L.RaiseError("tcp.connect missing addr")
	}
	var timeout time.Duration
	var bind, hostname string
	var alpn []string
	var insecure bool
	if opts, ok := L.Get(2).(*lua.LTable); ok {
		if ms, ok := opts.RawGetString("timeout").(lua.LNumber); ok && ms > 0 {
			timeout = time.Duration(float64(ms) * float64(time.Millisecond))
		}
		if s, ok := opts.RawGetString("bind").(lua.LString); ok {
			bind = string(s)
		}
		if s, ok := opts.RawGetString("hostname").(lua.LString); ok {
			hostname = string(s)
		}
		alpn = StringList(opts.RawGetString("alpnprotos"))
		insecure = lua.LVAsBool(opts.RawGetString("insecure"))
	}
	hostport, e := ParseAddr(string(addr))
	if e != "" {
		L.Push(lua.LNil)
		L.Push(lua.LString(e))
		return 2
	}
	var cfg *tls.Config
	if useTLS {
		// Without a hostname the certificate must name the address dialled
		// (an IP literal in ServerName is checked but never sent as SNI).
		name := hostname
		if name == "" {
			name, _, _ = net.SplitHostPort(hostport)
		}
		cfg = ClientTLSConfig(name, alpn, insecure)
	}
	nc, e := Dial(t, hostport, bind, timeout, cfg)
	if e != "" {
		L.Push(lua.LNil)
		L.Push(lua.LString(e))
		return 2
	}
	_, ud := wrapConn(L, rt, nc, string(addr), true)
	L.Push(ud)
	return 1
}

// ClientTLSConfig is the configuration of silly's TLS clients (tls.connect,
// wss:// and https://): SNI and the name to verify from hostname, the given
// ALPN list, and the server's certificate verified against the system roots
// (which honour SSL_CERT_FILE and SSL_CERT_DIR) unless the script asked for
// insecure. silly's own client context never verifies, although its
// documentation says it does; golua-ws does what the documentation says and
// makes skipping the check an explicit option.
func ClientTLSConfig(hostname string, alpn []string, insecure bool) *tls.Config {
	return &tls.Config{ServerName: hostname, NextProtos: alpn, InsecureSkipVerify: insecure} //nolint:gosec // opt-out the script asked for
}

// tlsHandshakeError marks a failed client handshake, which silly reports as
// errno TLS whatever its cause.
type tlsHandshakeError struct{ err error }

func (e *tlsHandshakeError) Error() string { return "tls handshake: " + e.err.Error() }
func (e *tlsHandshakeError) Unwrap() error { return e.err }

// Dial connects to hostport (numeric), optionally from bind, with TLS when
// cfg is non-nil, releasing the VM token while it waits. It returns silly's
// errno string on failure.
func Dial(t *runtime.Task, hostport, bind string, timeout time.Duration, cfg *tls.Config) (net.Conn, string) {
	var nc net.Conn
	err := t.Block(func(ctx context.Context) error {
		if timeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, timeout)
			defer cancel()
		}
		d := net.Dialer{}
		if bind != "" {
			a, err := net.ResolveTCPAddr("tcp", bind)
			if err != nil {
				return err
			}
			d.LocalAddr = a
		}
		c, err := d.DialContext(ctx, "tcp", hostport)
		if err != nil {
			return err
		}
		if cfg != nil {
			tc := tls.Client(c, cfg)
			if err := tc.HandshakeContext(ctx); err != nil {
				c.Close()
				if ctx.Err() != nil {
					return ctx.Err()
				}
				return &tlsHandshakeError{err}
			}
			c = tc
		}
		nc = c
		return nil
	})
	if err != nil {
		var he *tlsHandshakeError
		if errors.As(err, &he) {
			LogTLSFailure(t.Runtime(), hostport, he.err)
			return nil, ErrTLS
		}
		return nil, ErrString(err)
	}
	return nc, ""
}

// StringList converts a Lua array of strings (or nil) to a slice.
func StringList(v lua.LValue) []string {
	tbl, ok := v.(*lua.LTable)
	if !ok {
		return nil
	}
	var out []string
	for i := 1; i <= tbl.Len(); i++ {
		if s, ok := tbl.RawGetInt(i).(lua.LString); ok {
			out = append(out, string(s))
		}
	}
	return out
}
