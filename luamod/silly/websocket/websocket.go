// Package sillyws implements silly's "silly.net.websocket" for golua-ws as a
// thin mapping onto the connection layer (luamod/websocket) and wscore:
// upgrade(stream[, opts]), connect(url[, header[, opts]]), and the socket's
// read, write, close, conn and stream, with silly's option names and error
// values.
//
// Reads release the VM token while they wait; writes never yield, as
// silly's writes never yield: they are queued (bounded: the layer's
// slow-consumer policy) and written when the task next gives up the token,
// by its own next read or by a writer goroutine; close sends the close
// frame after everything queued and completes the closing handshake in the
// background.
package sillyws

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	sillyhttp "github.com/golua-ws/golua-ws/luamod/silly/http"
	sillynet "github.com/golua-ws/golua-ws/luamod/silly/net"
	layer "github.com/golua-ws/golua-ws/luamod/websocket"
	"github.com/golua-ws/golua-ws/runtime"
	"github.com/golua-ws/golua-ws/wscore"
	lua "github.com/yuin/gopher-lua"
)

// Silly's error strings (websocket.lua).
const (
	errControlTooLarge = "All control frames MUST have a payload length of 125 bytes or less"
	errMethodNotGet    = "Method not GET"
	errHeaderNotFound  = "Header not found"
	errKeyNotFound     = "Sec-websocket-key not found"
)

// DefaultMaxMessage is the protective limit on a received message (silly
// has none); opts.maxmessage changes it, a negative value removes it.
const DefaultMaxMessage = 32 << 20

// fragmentSize is where silly splits outgoing messages (2^16 bytes).
const fragmentSize = 1 << 16

// Register makes "silly.net.websocket" available to require in rt.
func Register(rt *runtime.Runtime) {
	rt.RegisterModule("silly.net.websocket", func(L *lua.LState) int {
		dns := sillyhttp.RequireResolver(L)
		mod := L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
			"upgrade": func(L *lua.LState) int { return upgrade(L, rt) },
			"connect": func(L *lua.LState) int { return connect(L, rt, dns) },
		})
		L.Push(mod)
		return 1
	})
}

// options are golua-ws's extensions, passed as an extra table argument so
// silly's signatures stay as they are:
//
//	maxmessage   bytes, default 32 MiB; < 0 for no limit
//	subprotocols {"chat", ...}: offered (connect) or accepted in order (upgrade)
//	compression  true: permessage-deflate when the peer agrees
//	autopong     true: answer pings automatically (they are still returned)
//	origin       connect only: the Origin header
//	timeout      connect only: handshake timeout in ms (default none)
//	maxqueued    bytes queued for a peer before it is a slow consumer
//	             (default 4 MiB; < 0 for no limit)
//	writetimeout ms one queued write may wait for the peer (default 10000;
//	             < 0 for none)
//	pinginterval ms between keepalive pings (default none)
//	idletimeout  ms to wait for the pong (default pinginterval)
//	closetimeout ms the close handshake waits for the peer (default 5000)
type options struct {
	maxMessage   int64
	subprotocols []string
	compression  bool
	autoPong     bool
	origin       string
	timeout      time.Duration
	insecure     bool // connect: skip verifying the server's certificate
	layer        layer.Options
	wscore       wscore.Options // keepalive and close timeout
}

// sillyOptions are the layer's options as fields of the options table,
// times in milliseconds as silly's are.
var sillyOptions = layer.OptionNames{
	MaxQueued: "maxqueued", WriteTimeout: "writetimeout", PingInterval: "pinginterval",
	IdleTimeout: "idletimeout", CloseTimeout: "closetimeout", Unit: time.Millisecond,
	Dialect: "silly",
}

// parseOptions returns the options on the heap: upgrade and connect keep
// a pointer in their frames, which are on the deepest path of a handler's
// life (a bigger frame there can double the idle handler's stack).
func parseOptions(L *lua.LState, v lua.LValue) *options {
	o := &options{maxMessage: DefaultMaxMessage}
	t, _ := v.(*lua.LTable)
	o.layer = sillyOptions.Parse(t, &o.wscore)
	// The queue writes whole messages, fragmented at 64 KiB as silly
	// sends them.
	o.layer.WholeMessages = true
	if t == nil {
		return o
	}
	if n, ok := t.RawGetString("maxmessage").(lua.LNumber); ok {
		o.maxMessage = int64(n)
		if o.maxMessage == 0 {
			o.maxMessage = DefaultMaxMessage
		}
	}
	o.subprotocols = sillynet.StringList(t.RawGetString("subprotocols"))
	o.compression = lua.LVAsBool(t.RawGetString("compression"))
	o.autoPong = lua.LVAsBool(t.RawGetString("autopong"))
	o.origin = lua.LVAsString(t.RawGetString("origin"))
	if n, ok := t.RawGetString("timeout").(lua.LNumber); ok && n > 0 {
		o.timeout = time.Duration(float64(n) * float64(time.Millisecond))
	}
	o.insecure = lua.LVAsBool(t.RawGetString("insecure"))
	return o
}

func (o *options) conn() wscore.Options {
	w := o.wscore
	w.MaxMessageSize = o.maxMessage
	w.MaxFramePayload = o.maxMessage // silly accepts frames of any size
	w.AutoPong = o.autoPong
	w.FragmentSize = fragmentSize
	return w
}

func (o *options) compressionOpts() *wscore.CompressionOptions {
	if !o.compression {
		return nil
	}
	return &wscore.CompressionOptions{}
}

// upgrade implements websocket.upgrade(stream[, opts]) -> sock | nil, err.
// silly's checks come first with silly's messages; then wscore validates
// strictly and answers the handshake.
func upgrade(L *lua.LState, rt *runtime.Runtime) int {
	st := sillyhttp.CheckServerStream(L, 1)
	t := rt.MustTask(L)
	o := parseOptions(L, L.Get(2))
	r := st.Request()
	fail := func(e string) int {
		layer.RefusedHandshake(rt, "silly", false, e)
		if st.Usable() {
			st.Respond(400, L.NewTable())
		}
		L.Push(lua.LNil)
		L.Push(lua.LString(e))
		return 2
	}
	if r.Method != http.MethodGet {
		return fail(errMethodNotGet)
	}
	hdr, ok := st.Field(L, "header").(*lua.LTable)
	if !ok {
		return fail(errHeaderNotFound)
	}
	if v := hdr.RawGetString("upgrade"); v != lua.LNil && !strings.EqualFold(lua.LVAsString(v), "websocket") {
		return fail("Header upgrade mismatch")
	}
	// silly wants exactly "Upgrade"; RFC 6455 allows a token list such as
	// Firefox's "keep-alive, Upgrade", which golua-ws accepts.
	if v := hdr.RawGetString("connection"); v != lua.LNil && !wscore.HasToken(lua.LVAsString(v), "upgrade") {
		return fail("Header connection mismatch")
	}
	if v := hdr.RawGetString("sec-websocket-version"); v != lua.LNil && lua.LVAsString(v) != "13" {
		return fail("Header sec-websocket-version mismatch")
	}
	if hdr.RawGetString("sec-websocket-key") == lua.LNil {
		return fail(errKeyNotFound)
	}
	if !st.Usable() {
		return fail("Stream already responded")
	}
	aopts := &wscore.AcceptOptions{
		Subprotocols: o.subprotocols,
		Compression:  o.compressionOpts(),
		Conn:         o.conn(),
	}
	lc, err := layer.Accept(t, st.ResponseWriter(), r, aopts, o.layer)
	if err != nil {
		var he *wscore.HandshakeError
		if errors.As(err, &he) && he.Status != 0 {
			st.HeaderSent() // wscore answered the request itself
		}
		L.Push(lua.LNil)
		L.Push(lua.LString(err.Error()))
		return 2
	}
	st.Hijacked()
	s := &sock{rt: rt, lc: lc, stream: L.Get(1)}
	L.Push(s.push(L))
	return 1
}

// connect implements websocket.connect(url[, header[, opts]]) -> sock | nil, err.
func connect(L *lua.LState, rt *runtime.Runtime, dns *sillyhttp.Resolver) int {
	t := rt.MustTask(L)
	rawURL := L.CheckString(1)
	header := L.OptTable(2, nil)
	o := parseOptions(L, L.Get(3))
	scheme, host, port, _, e := sillyhttp.ParseURL(rawURL)
	if e != "" {
		return pushErr(L, e)
	}
	if scheme != "ws" && scheme != "wss" {
		// silly dials plain TCP for any other scheme and fails later;
		// wscore only speaks ws and wss.
		return pushErr(L, "Unsupported scheme")
	}
	ip, e := dns.LookupA(L, t, host)
	if e != "" {
		return pushErr(L, "dns lookup "+host+" failed: "+e)
	}
	h := http.Header{}
	if header != nil {
		header.ForEach(func(k, v lua.LValue) {
			name := http.CanonicalHeaderKey(lua.LVAsString(k))
			switch name {
			case "Connection", "Upgrade", "Sec-Websocket-Version", "Sec-Websocket-Key", "Host":
				return // wscore sets these, as silly overrides them
			}
			h.Set(name, lua.LVAsString(v))
		})
	}
	dopts := &wscore.DialOptions{
		Header:       h,
		Subprotocols: o.subprotocols,
		Origin:       o.origin,
		Compression:  o.compressionOpts(),
		Conn:         o.conn(),
		TLSConfig:    sillynet.ClientTLSConfig(host, nil, o.insecure),
		NetDialer: func(ctx context.Context, network, addr string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, net.JoinHostPort(ip, port))
		},
	}
	lc, resp, err := layer.Dial(t, o.timeout, rawURL, dopts, o.layer)
	if err != nil {
		e := dialErr(err, resp, scheme)
		if e == sillynet.ErrTLS {
			sillynet.LogTLSFailure(rt, rawURL, err)
		}
		return pushErr(L, e)
	}
	stream := L.CreateTable(0, 6)
	stream.RawSetString("status", lua.LNumber(resp.StatusCode))
	hdr := L.NewTable()
	for k, vs := range resp.Header {
		if len(vs) > 0 {
			hdr.RawSetString(strings.ToLower(k), lua.LString(vs[0]))
		}
	}
	stream.RawSetString("header", hdr)
	stream.RawSetString("version", lua.LString("1.1"))
	stream.RawSetString("scheme", lua.LString(scheme))
	stream.RawSetString("remoteaddr", lua.LString(net.JoinHostPort(ip, port)))
	s := &sock{rt: rt, lc: lc, stream: stream}
	L.Push(s.push(L))
	return 1
}

// dialErr turns a wscore.Dial failure into silly's error values.
func dialErr(err error, resp *http.Response, scheme string) string {
	var he *wscore.HandshakeError
	if errors.As(err, &he) && he.Status != 0 && he.Status != 101 {
		return "websocket.connect fail:" + strconv.Itoa(he.Status)
	}
	if resp != nil && resp.StatusCode != 101 {
		return "websocket.connect fail:" + strconv.Itoa(resp.StatusCode)
	}
	var ne *net.OpError
	if errors.As(err, &ne) && ne.Op == "dial" {
		return sillynet.ErrString(ne.Err)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return sillynet.ErrTimedOut
	}
	if scheme == "wss" && (errors.Is(err, wscore.ErrTLSHandshake) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)) {
		return sillynet.ErrTLS
	}
	if errors.Is(err, wscore.ErrBadHandshake) {
		return err.Error()
	}
	return sillynet.ErrString(err)
}

func pushErr(L *lua.LState, e string) int {
	L.Push(lua.LNil)
	L.Push(lua.LString(e))
	return 2
}

// sock is the Go side of a silly WebSocket socket.
type sock struct {
	rt     *runtime.Runtime
	lc     *layer.Conn
	stream lua.LValue
	connUD *lua.LUserData
	closed bool
}

const sockTypeName = "silly.net.websocket.sock"

// goKey is the socket table's field holding its Go state (a userdata).
const goKey = "__sock"

// A socket is a Lua table, as in silly. Its methods are plain fields of it,
// so a method call is a table lookup, not a call of an __index function
// (which would cost a Lua call and an allocation per lookup, twice per
// echoed message). The seed's read-only properties conn and stream are not
// fields: the metatable's __index serves them (conn is made on its first
// read, because a conn object costs memory that an echo never uses) and
// its __newindex refuses to set them; a script's own fields are stored as
// usual. The Go state hangs off goKey.
func sockOf(v lua.LValue) *sock {
	if t, ok := v.(*lua.LTable); ok {
		if ud, ok := t.RawGetString(goKey).(*lua.LUserData); ok {
			if s, ok := ud.Value.(*sock); ok {
				return s
			}
		}
	}
	return nil
}

func checkSock(L *lua.LState) *sock {
	s := sockOf(L.Get(1))
	if s == nil {
		L.ArgError(1, "websocket socket expected")
	}
	return s
}

func (s *sock) push(L *lua.LState) *lua.LTable {
	mt := sockMeta(L)
	methods := mt.RawGetString("__methods").(*lua.LTable)
	t := L.CreateTable(0, len(sockMethods)+1)
	methods.ForEach(t.RawSetH)
	ud := L.NewUserData()
	ud.Value = s
	t.RawSetString(goKey, ud)
	L.SetMetatable(t, mt)
	return t
}

var sockMethods = map[string]lua.LGFunction{
	"read":        sockRead,
	"write":       sockWrite,
	"close":       sockClose,
	"subprotocol": sockSubprotocol,
}

func sockMeta(L *lua.LState) *lua.LTable {
	if mt, ok := L.GetTypeMetatable(sockTypeName).(*lua.LTable); ok {
		return mt
	}
	mt := L.NewTypeMetatable(sockTypeName)
	mt.RawSetString("__methods", L.SetFuncs(L.CreateTable(0, len(sockMethods)), sockMethods))
	mt.RawSetString("__index", L.NewFunction(func(L *lua.LState) int {
		if s := sockOf(L.Get(1)); s != nil {
			switch L.Get(2) {
			case lua.LString("conn"):
				L.Push(s.conn(L))
				return 1
			case lua.LString("stream"):
				L.Push(s.stream)
				return 1
			}
		}
		L.Push(lua.LNil)
		return 1
	}))
	mt.RawSetString("__newindex", L.NewFunction(func(L *lua.LState) int {
		switch L.Get(2) {
		case lua.LString("conn"), lua.LString("stream"), lua.LString(goKey):
			L.RaiseError("websocket socket fields are read-only")
		}
		L.CheckTable(1).RawSet(L.Get(2), L.Get(3))
		return 0
	}))
	mt.RawSetString("__close", L.NewFunction(sockClose))
	return mt
}

// conn returns sock.conn, the tcp or tls conn under the socket, made on
// first read; nil after close. Closing it drops the connection without a
// close frame.
func (s *sock) conn(L *lua.LState) lua.LValue {
	if s.closed {
		return lua.LNil
	}
	if s.connUD == nil {
		nc := s.lc.WS().NetConn()
		_, s.connUD = sillynet.WrapConn(L, s.rt, nc, nc.RemoteAddr().String())
	}
	return s.connUD
}

func sockRead(L *lua.LState) int {
	s := checkSock(L)
	t := s.rt.MustTask(L)
	if s.closed {
		return readErr(L, sillynet.ErrClosed)
	}
	if s.lc.Reading() {
		return readErr(L, "socket is already being read by another task")
	}
	return readMessage(L, s, t)
}

// readMessage is sock:read's read and results. An idle wait parks the task
// without its goroutine when the call allows it (layer.ErrIdle); the
// parked call finishes in readMessage again, on the goroutine that
// resumes it.
func readMessage(L *lua.LState, s *sock, t *runtime.Task) int {
	for {
		op, b, err := s.lc.ReadMessage(t)
		if err == layer.ErrIdle {
			if n, ok := s.lc.Park(t, L, func(L *lua.LState) int { return readMessage(L, s, t) }); ok {
				return n
			}
			continue
		}
		if err != nil {
			return readErr(L, s.readErrString(err))
		}
		L.Push(lua.LString(b)) // one copy, before the next read reuses wscore's buffer
		L.Push(typeNames[op&0xf])
		return 2
	}
}

// typeNames are the message types sock:read returns, boxed once.
var typeNames = layer.OpcodeNames()

// sillyViolations words wscore's protocol violations as silly does; the
// others keep wscore's message.
var sillyViolations = map[wscore.Violation]string{
	wscore.ViolationUnmaskedFromClient: "need mask but got none",
	wscore.ViolationMaskedFromServer:   "got mask but need none",
}

// readErrString maps wscore's read errors to silly's values: a peer that
// closed (with or without a close frame) is errno.EOF, a socket closed
// locally is errno.CLOSED.
func (s *sock) readErrString(err error) string {
	var ce *wscore.CloseError
	if w, ok := sillyWords.For(err); ok {
		return w // the layer ended the connection
	}
	switch {
	case s.closed || errors.Is(err, wscore.ErrClosed) || errors.Is(err, net.ErrClosed):
		return sillynet.ErrClosed
	case errors.As(err, &ce), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return sillynet.ErrEOF
	}
	var pe *wscore.ProtocolError
	if errors.As(err, &pe) {
		if m, ok := sillyViolations[pe.Kind]; ok {
			return m
		}
		return pe.Error()
	}
	return sillynet.ErrString(err)
}

func readErr(L *lua.LState, e string) int {
	L.Push(lua.LNil)
	L.Push(lua.LString(e))
	L.Push(lua.LString(""))
	return 3
}

var opcodes = map[string]wscore.Opcode{
	"text":         wscore.OpText,
	"binary":       wscore.OpBinary,
	"ping":         wscore.OpPing,
	"pong":         wscore.OpPong,
	"close":        wscore.OpClose,
	"continuation": wscore.OpContinuation,
}

func sockWrite(L *lua.LState) int {
	s := checkSock(L)
	data := ""
	if v := L.Get(2); v != lua.LNil {
		data = lua.LVAsString(v)
	}
	typ := L.OptString(3, "binary")
	op, ok := opcodes[typ]
	if !ok {
		L.ArgError(3, typ)
	}
	if len(data) > 125 && !op.IsData() {
		return sillynet.PushStatus(L, errControlTooLarge)
	}
	if op == wscore.OpContinuation {
		// silly can write a lone continuation frame; wscore refuses an
		// invalid fragmentation sequence, so it is reported here.
		return sillynet.PushStatus(L, wscore.ErrBadSequence.Error())
	}
	if s.closed {
		return sillynet.PushStatus(L, sillynet.ErrClosed)
	}
	if err := s.lc.Send(s.rt.MustTask(L), op, data); err != nil {
		return sillynet.PushStatus(L, writeErrString(err))
	}
	L.Push(lua.LTrue)
	return 1
}

func writeErrString(err error) string {
	if w, ok := sillyWords.For(err); ok {
		return w
	}
	switch {
	case errors.Is(err, wscore.ErrCloseSent), errors.Is(err, wscore.ErrClosed), errors.Is(err, net.ErrClosed),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrClosedPipe):
		return sillynet.ErrClosed
	}
	s := sillynet.ErrString(err)
	if strings.HasPrefix(s, "wscore:") {
		return s
	}
	// A reset or broken pipe means the peer is gone: silly reports CLOSED.
	return sillynet.ErrClosed
}

// sockClose implements sock:close(): queued messages go out, then the close
// frame, then the connection is closed. It returns true, or false and
// errno.CLOSED on a second call (silly raises there).
func sockClose(L *lua.LState) int {
	s := checkSock(L)
	if s.closed {
		return sillynet.PushStatus(L, sillynet.ErrClosed)
	}
	s.closed = true
	// An empty close frame as silly sends, or the echo of the peer's code
	// when it closed first, after what is queued; then the handshake.
	s.lc.Close(0, "")
	L.Push(lua.LTrue)
	return 1
}

func sockSubprotocol(L *lua.LState) int {
	s := checkSock(L)
	L.Push(lua.LString(s.lc.WS().Subprotocol()))
	return 1
}

// sillyWords are silly's values for the layer's reasons to end a
// connection, returned by write (false, err) and read (nil, err).
var sillyWords = layer.Words{
	SlowConsumer: "slow consumer", WriteTimeout: "write timeout", GoingAway: "going away",
	HandlerFailed: sillynet.ErrClosed, Closed: sillynet.ErrClosed,
}
