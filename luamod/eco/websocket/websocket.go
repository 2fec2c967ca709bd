// Package websocket provides lua-eco's "eco.websocket" module on the
// golua-ws runtime: websocket.upgrade and websocket.connect, and the
// frame-level connection object (recv_frame, send_frame, send_text,
// send_binary, send_close, send_ping, send_pong) with lua-eco's return
// conventions.
//
// The opening handshakes run over eco.http.server's con and
// eco.http.client's hc as ordinary Lua method calls (websocket.lua,
// embedded); whether an upgrade request is valid is wscore.CheckRequest's
// decision, worded in lua-eco's error strings. Framing and validation are
// wscore's: once the handshake is done, the connection's socket is
// detached and taken over by the connection layer (luamod/websocket: the
// bounded queue, the shutdown registry, 1011 when the handler fails).
// wscore is stricter than lua-eco (UTF-8, close codes, masking direction,
// control-frame and fragmentation rules); a violation closes the connection
// with the RFC's close code and recv_frame returns nil, nil, err.
//
// recv_frame parses a frame that is already buffered without giving up the
// VM token; it releases the token only when it has to wait for the network.
//
// # Bounded sends, keepalive (golua-ws extensions)
//
// Sends never wait for the peer: a frame is queued and written when the
// task next blocks. The opts of upgrade and connect bound the queue and
// add keepalive (times in seconds): max_queued (bytes, default 4 MiB;
// <= 0 no limit), write_timeout (default 10), ping_interval (default off),
// idle_timeout (the pong's wait, default ping_interval), close_timeout
// (default 5). A peer beyond max_queued or write_timeout is a slow
// consumer: it is cut off and sends return nil, "failed to send frame:
// slow consumer" (or "... write timeout"). See luamod/websocket.
//
// # Compression (golua-ws extension)
//
// lua-eco has no permessage-deflate (RFC 7692). golua-ws adds the option
// permessage_deflate to the opts of websocket.upgrade and websocket.connect:
//
//	websocket.upgrade(con, req, { permessage_deflate = true })
//	websocket.connect(uri, { permessage_deflate = { level = 6, threshold = 256 } })
//
// true enables it with defaults; a table may set level (1-9, default 1),
// threshold (messages shorter than this many bytes go uncompressed, default
// 128; negative compresses everything), server_no_context_takeover,
// client_no_context_takeover (booleans), server_max_window_bits (connect:
// requested of the server) and client_max_window_bits (upgrade: imposed on
// a client that allows it). upgrade accepts a client's offer and connect
// makes one; when the peer declines, the connection works uncompressed.
// With compression in effect, recv_frame returns a compressed message as
// one final frame holding the inflated message (at most max_payload_len
// bytes), and a single-frame message sent with send_text, send_binary or
// send_frame(true, ...) goes out compressed, the returned byte count being
// the compressed frame's; the frames of a fragmented message that the
// script sends with send_frame are not compressed.
package websocket

import (
	_ "embed"
	"encoding/base64"
	"errors"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	ecohttp "github.com/golua-ws/golua-ws/luamod/eco/http"
	"github.com/golua-ws/golua-ws/luamod/eco/socket"
	"github.com/golua-ws/golua-ws/luamod/golua/metrics"
	layer "github.com/golua-ws/golua-ws/luamod/websocket"
	"github.com/golua-ws/golua-ws/runtime"
	"github.com/golua-ws/golua-ws/wscore"
	lua "github.com/yuin/gopher-lua"
)

//go:embed websocket.lua
var handshakeSource string

// conn is the Go state of one eco WebSocket connection. Its ws table's
// fields are lua-eco's (sock, opts; hc, masking for a client): a method
// reaches the conn through ws.sock, the socket the conn took over (its
// owner), as lua-eco's methods work on self.sock. A field of golua-ws's
// own would cost every connection a key in the table and show in
// pairs(ws).
type conn struct {
	// lc is the connection under the layer (queue, reads, sends, close).
	lc         *layer.Conn
	sock       *socket.Socket
	maxPayload int64

	// The last byte count a send returned, boxed: an echo sends frames of
	// one size over and over, and boxing a number allocates.
	lastN  int
	lastNV lua.LValue
}

// pushCount pushes a send's byte count.
func (c *conn) pushCount(L *lua.LState, n int) {
	if c.lastNV == nil || c.lastN != n {
		c.lastN, c.lastNV = n, lua.LNumber(n)
	}
	L.Push(c.lastNV)
}

// Register makes "eco.websocket" available to require in rt.
func Register(rt *runtime.Runtime) {
	rt.RegisterModule("eco.websocket", func(L *lua.LState) int {
		fn, err := rt.Compile([]byte(handshakeSource), "@eco/websocket.lua")
		if err != nil {
			L.RaiseError("eco.websocket: %v", err)
		}
		L.Push(fn)
		L.Push(helpers(rt, L))
		L.Call(1, 1)
		if mod, ok := L.Get(-1).(*lua.LTable); ok {
			countFailures(rt, L, mod, "upgrade", false)
			countFailures(rt, L, mod, "connect", true)
		}
		return 1
	})
}

// countFailures wraps mod[name], a handshake written in Lua, so that a
// nil, err return counts as a failed handshake in the runtime's metrics
// (the layer counts the handshakes it does itself; eco's are done here).
// Without metrics nothing is wrapped.
func countFailures(rt *runtime.Runtime, L *lua.LState, mod *lua.LTable, name string, client bool) {
	if metrics.Of(rt) == nil {
		return
	}
	orig := mod.RawGetString(name)
	mod.RawSetString(name, L.NewFunction(func(L *lua.LState) int {
		args := make([]lua.LValue, L.GetTop())
		for i := range args {
			args[i] = L.Get(i + 1)
		}
		base := L.GetTop()
		L.Push(orig)
		for _, a := range args {
			L.Push(a)
		}
		L.Call(len(args), lua.MultRet)
		n := L.GetTop() - base
		if n == 0 || L.Get(base+1) == lua.LNil {
			layer.RefusedHandshake(rt, "eco", client, lua.LVAsString(L.Get(base+2)))
		}
		return n
	}))
}

func helpers(rt *runtime.Runtime, L *lua.LState) *lua.LTable {
	meta := L.NewTable()
	methods := L.SetFuncs(L.NewTable(), connMethods(rt))
	meta.RawSetString("__index", methods)
	meta.RawSetString("__name", lua.LString("eco.websocket"))
	h := L.NewTable()
	L.SetFuncs(h, map[string]lua.LGFunction{
		"accept": func(L *lua.LState) int {
			key := L.CheckString(1)
			raw, err := base64.StdEncoding.Strict().DecodeString(key)
			if err != nil || len(raw) != 16 {
				L.Push(lua.LNil)
				return 1
			}
			L.Push(lua.LString(wscore.AcceptKey(key)))
			return 1
		},
		// has_token(value, token[, exact]): whether one of value's
		// comma-separated items, trimmed (and ASCII-lowered unless exact),
		// equals token.
		// check(con, req) -> nil | err: wscore's verdict on the upgrade
		// request, in lua-eco's words. The request is eco.http.server's
		// when con is one of its connections; otherwise (a con written in
		// Lua, as lua-eco's upgrade accepts any object with its methods)
		// it is read from the Lua req table.
		"check": func(L *lua.LState) int {
			r := ecohttp.Request(L, L.Get(1))
			if r == nil {
				r = requestFromTable(L, L.Get(2))
			}
			if err := wscore.CheckRequest(r); err != nil {
				L.Push(lua.LString(handshakeString(err, r)))
				return 1
			}
			return 0
		},
		// head_sent(con) -> con.resp.head_sent when con is one of
		// eco.http.server's connections whose con.resp no script has read,
		// nothing otherwise. Reading con.resp in Lua would build the table
		// and store it in con (eco.http.server does so on a field's first
		// read), which a WebSocket would then keep for its whole life.
		"head_sent": func(L *lua.LState) int {
			sent, ok := ecohttp.HeadSent(L, L.Get(1))
			if !ok {
				return 0
			}
			L.Push(lua.LBool(sent))
			return 1
		},
		// version(con, req) -> req.major_version, req.minor_version when
		// req is the request of con, one of eco.http.server's connections,
		// and a script has read or assigned neither; nothing otherwise.
		// Read in Lua, they would be stored in req for the WebSocket's
		// whole life (eco.http.server stores req's fields on first read).
		"version": func(L *lua.LState) int {
			major, minor, ok := ecohttp.Version(L, L.Get(1), L.Get(2))
			if !ok {
				return 0
			}
			L.Push(lua.LNumber(major))
			L.Push(lua.LNumber(minor))
			return 2
		},
		// con_sock(con) -> con.sock, likewise without storing it in con.
		"con_sock": func(L *lua.LState) int {
			sock, ok := ecohttp.Sock(L, L.Get(1))
			if !ok {
				return 0
			}
			L.Push(sock)
			return 1
		},
		"has_token": func(L *lua.LState) int {
			L.Push(lua.LBool(hasToken(L.ToStringMeta(L.Get(1)).String(), L.CheckString(2), L.ToBool(3))))
			return 1
		},
		// first_token(value): the first non-empty trimmed item, or nil.
		"first_token": func(L *lua.LState) int {
			for _, v := range strings.Split(L.ToStringMeta(L.Get(1)).String(), ",") {
				if v = luaTrim(v); v != "" {
					L.Push(lua.LString(v))
					return 1
				}
			}
			return 0
		},
		"trim": func(L *lua.LState) int {
			L.Push(lua.LString(luaTrim(L.CheckString(1))))
			return 1
		},
		"new_key": func(L *lua.LState) int {
			L.Push(lua.LString(wscore.NewKey()))
			return 1
		},
		// deflate_offer(spec) -> the client's Sec-WebSocket-Extensions.
		"deflate_offer": func(L *lua.LState) int {
			L.Push(lua.LString(wscore.DeflateOffer(compressionOptions(L.Get(1)))))
			return 1
		},
		// deflate_reply(offers, spec) -> response header, agreement | nothing
		// (a malformed or unacceptable offer is declined, as RFC 7692 allows).
		"deflate_reply": func(L *lua.LState) int {
			a, err := wscore.NegotiateDeflate(L.CheckString(1), compressionOptions(L.Get(2)))
			if err != nil || a == nil {
				return 0
			}
			L.Push(lua.LString(a.Header()))
			L.Push(agreementValue(L, a))
			return 2
		},
		// deflate_accept(response, spec) -> agreement | nil, err.
		"deflate_accept": func(L *lua.LState) int {
			a, err := wscore.AcceptDeflate(L.CheckString(1), compressionOptions(L.Get(2)))
			if err != nil || a == nil {
				L.Push(lua.LNil)
				if err != nil {
					L.Push(lua.LString(err.Error()))
					return 2
				}
				return 1
			}
			L.Push(agreementValue(L, a))
			return 1
		},
		"wrap": func(L *lua.LState) int {
			tbl := L.CheckTable(1)
			client := L.ToBool(2)
			var agreed *wscore.DeflateAgreement
			if ud, ok := L.Get(3).(*lua.LUserData); ok {
				agreed, _ = ud.Value.(*wscore.DeflateAgreement)
			}
			L.SetMetatable(tbl, meta)
			s, ok := socket.FromValue(tbl.RawGetString("sock"))
			if ok && !s.Closed() {
				opts, _ := tbl.RawGetString("opts").(*lua.LTable)
				c := newConn(rt, s, client, opts, agreed)
				// The task that upgraded (or connected) owns the
				// connection: if it fails, the peer gets 1011.
				c.lc.Own(rt.MustTask(L))
			}
			L.Push(tbl)
			return 1
		},
	})
	return h
}

// requestFromTable builds the request wscore.CheckRequest judges from a
// lua-eco request table: method (GET when absent, as lua-eco's upgrade does
// not look at it), major_version and minor_version, and headers, whose
// names are lower case and whose values are strings (or lists of strings
// for a repeated header). The fields are read as Lua's req.name reads
// them (an eco.http.server req keeps them in Go until then).
func requestFromTable(L *lua.LState, v lua.LValue) *http.Request {
	r := &http.Request{Method: http.MethodGet, Header: http.Header{}}
	req, ok := v.(*lua.LTable)
	if !ok {
		return r
	}
	if m, ok := L.GetField(req, "method").(lua.LString); ok {
		r.Method = string(m)
	}
	major, _ := L.GetField(req, "major_version").(lua.LNumber)
	minor, _ := L.GetField(req, "minor_version").(lua.LNumber)
	r.ProtoMajor, r.ProtoMinor = int(major), int(minor)
	r.Proto = "HTTP/" + strconv.Itoa(r.ProtoMajor) + "." + strconv.Itoa(r.ProtoMinor)
	headers, _ := L.GetField(req, "headers").(*lua.LTable)
	if headers == nil {
		return r
	}
	headers.ForEach(func(k, v lua.LValue) {
		name, ok := k.(lua.LString)
		if !ok {
			return
		}
		switch v := v.(type) {
		case lua.LString:
			r.Header.Add(string(name), string(v))
		case *lua.LTable:
			v.ForEach(func(_, item lua.LValue) {
				if s, ok := item.(lua.LString); ok {
					r.Header.Add(string(name), string(s))
				}
			})
		}
	})
	return r
}

// ecoProblems words wscore's refusals of an upgrade request: lua-eco's
// strings for what lua-eco checks, clear ones for the rest. A header
// named in the second column has its value appended.
var ecoProblems = map[wscore.HandshakeProblem][2]string{
	wscore.ProblemMethod:       {"bad method: ", ":method"},
	wscore.ProblemHTTPVersion:  {"bad http version"},
	wscore.ProblemNoUpgrade:    {`not found "upgrade" request header`},
	wscore.ProblemUpgrade:      {`bad "upgrade" request header:`, "Upgrade"},
	wscore.ProblemNoConnection: {`not found "connection" request header`},
	wscore.ProblemConnection:   {`bad "connection" request header: `, "Connection"},
	wscore.ProblemNoVersion:    {`not found "sec-websocket-version" request header`},
	wscore.ProblemVersion:      {`bad "sec-websocket-version" request header: `, "Sec-WebSocket-Version"},
	wscore.ProblemNoKey:        {`not found "sec-websocket-key" request header`},
	wscore.ProblemKeyCount:     {`duplicate "sec-websocket-key" request header`},
	wscore.ProblemKey:          {`bad "sec-websocket-key" request header`},
}

// handshakeString words wscore's refusal of an upgrade request r.
func handshakeString(err error, r *http.Request) string {
	var he *wscore.HandshakeError
	if !errors.As(err, &he) {
		return err.Error()
	}
	w, ok := ecoProblems[he.Problem]
	switch {
	case !ok:
		return he.Reason
	case w[1] == ":method":
		return w[0] + r.Method
	case w[1] != "":
		return w[0] + strings.Join(r.Header.Values(w[1]), ", ")
	}
	return w[0]
}

// luaSpace is the set of characters Lua's %s class matches.
const luaSpace = " \t\n\v\f\r"

func luaTrim(s string) string { return strings.Trim(s, luaSpace) }

// hasToken reports whether a comma-separated header value holds token,
// items trimmed of Lua's spaces and, unless exact, lowered ASCII-only as
// Lua's string.lower does in the C locale.
func hasToken(value, token string, exact bool) bool {
	for _, v := range strings.Split(value, ",") {
		if v == "" {
			continue // gmatch('[^,]+') yields no empty items
		}
		v = luaTrim(v)
		if !exact {
			v = asciiLower(v)
		}
		if v == token {
			return true
		}
	}
	return false
}

func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// agreementValue wraps a negotiated deflate agreement for the handshake
// code, which only hands it back to wrap.
func agreementValue(L *lua.LState, a *wscore.DeflateAgreement) *lua.LUserData {
	ud := L.NewUserData()
	ud.Value = a
	return ud
}

// compressionOptions reads opts.permessage_deflate: true, or a table (see
// the package doc). Anything else turns compression off (nil).
func compressionOptions(v lua.LValue) *wscore.CompressionOptions {
	switch v := v.(type) {
	case lua.LBool:
		if v {
			return &wscore.CompressionOptions{}
		}
	case *lua.LTable:
		num := func(k string) int {
			n, _ := v.RawGetString(k).(lua.LNumber)
			return int(n)
		}
		return &wscore.CompressionOptions{
			Level:                   num("level"),
			Threshold:               num("threshold"),
			ServerNoContextTakeover: lua.LVAsBool(v.RawGetString("server_no_context_takeover")),
			ClientNoContextTakeover: lua.LVAsBool(v.RawGetString("client_no_context_takeover")),
			ServerMaxWindowBits:     num("server_max_window_bits"),
			ClientMaxWindowBits:     num("client_max_window_bits"),
		}
	}
	return nil
}

// ecoOptions are the layer's options as fields of upgrade's and connect's
// opts, times in seconds as lua-eco's timeouts are.
var ecoOptions = layer.OptionNames{
	MaxQueued: "max_queued", WriteTimeout: "write_timeout", PingInterval: "ping_interval",
	IdleTimeout: "idle_timeout", CloseTimeout: "close_timeout", Unit: time.Second,
	Dialect: "eco",
}

func newConn(rt *runtime.Runtime, s *socket.Socket, client bool, opts *lua.LTable, agreed *wscore.DeflateAgreement) *conn {
	c := &conn{sock: s}
	// ws.sock:close() (or the HTTP handler's end) closes the WebSocket:
	// c.Close.
	nc, rest := s.Detach(c)
	o := wscore.Options{ManualCloseReply: true}
	lo := ecoOptions.Parse(opts, &o)
	max := int64(65535)
	if opts != nil {
		if v, ok := opts.RawGetString("max_payload_len").(lua.LNumber); ok {
			max = int64(v)
		}
		o.AutoPong = lua.LVAsBool(opts.RawGetString("auto_pong"))
		if opts.RawGetString("utf8_validation") == lua.LFalse {
			o.SkipUTF8Validation = true
		}
	}
	switch {
	case max <= 0:
		o.MaxFramePayload = 1 // nothing but empty frames, as lua-eco's comparison gives
	case max >= 1<<53:
		o.MaxFramePayload = -1
	default:
		o.MaxFramePayload = max
	}
	c.lc = layer.TakeOver(rt, nc, rest, client, &o, wscore.Negotiated{Deflate: agreed}, lo)
	c.maxPayload = max
	return c
}

// Close is the detached socket's Close (ws.sock:close(), or the HTTP
// handler's end): the TCP connection is closed once the queue is written,
// without a close frame, as lua-eco does.
func (c *conn) Close() error {
	c.lc.Drop()
	return nil
}

// self returns the connection behind the ws table at argument 1: the
// owner of its sock.
func self(L *lua.LState) *conn {
	tbl, ok := L.Get(1).(*lua.LTable)
	if !ok {
		L.ArgError(1, "eco.websocket connection expected")
	}
	if s, ok := socket.FromValue(tbl.RawGetString("sock")); ok {
		if c, ok := s.Owner().(*conn); ok {
			return c
		}
	}
	L.RaiseError("not a golua-ws WebSocket connection")
	return nil
}

func recvErr(L *lua.LState, msg string) int {
	L.Push(lua.LNil)
	L.Push(lua.LNil)
	L.Push(lua.LString(msg))
	return 3
}

func sendErr(L *lua.LState, msg string) int {
	L.Push(lua.LNil)
	L.Push(lua.LString(msg))
	return 2
}

// ecoViolations words wscore's protocol violations as lua-eco does; a
// violation lua-eco does not check keeps wscore's reason.
var ecoViolations = map[wscore.Violation]string{
	wscore.ViolationReservedDataOpcode:    "reserved non-control frames",
	wscore.ViolationReservedControlOpcode: "reserved control frames",
	wscore.ViolationReservedBits:          "bad RSV1, RSV2, or RSV3 bits",
	wscore.ViolationControlTooLong:        "too long payload for control frame",
	wscore.ViolationLength64:              "payload len too large",
	wscore.ViolationCloseOneByte:          "close frame with a body must carry a 2-byte status code",
}

// ErrorString maps a wscore read error to lua-eco's recv_frame error.
func ErrorString(err error) string {
	var pe *wscore.ProtocolError
	var ce *wscore.CloseError
	if w, ok := ecoWords.For(err); ok {
		return "failed to receive the first 2 bytes: " + w
	}
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		return "failed to receive the first 2 bytes: timeout"
	case errors.Is(err, wscore.ErrFrameTooLarge):
		return "exceeding max payload len"
	case errors.As(err, &pe):
		if m, ok := ecoViolations[pe.Kind]; ok {
			return m
		}
		return pe.Reason
	case errors.Is(err, wscore.ErrClosed), errors.Is(err, os.ErrClosed):
		return "failed to receive the first 2 bytes: canceled"
	case errors.As(err, &ce):
		return "failed to receive the first 2 bytes: closed"
	}
	return "failed to receive the first 2 bytes: " + socket.ErrString(err)
}

func connMethods(rt *runtime.Runtime) map[string]lua.LGFunction {
	// Values returned per frame are boxed once here, not per call.
	lTypes := layer.OpcodeNames()
	var again lua.LValue = lua.LString("again")

	sendFrame := func(L *lua.LState, c *conn, fin bool, op wscore.Opcode, payload string) int {
		if int64(len(payload)) > c.maxPayload {
			return sendErr(L, "payload too big")
		}
		if op&0x8 != 0 {
			if len(payload) > 125 {
				return sendErr(L, "too much payload for control frame")
			}
			if !fin {
				return sendErr(L, "fragmented control frame")
			}
		}
		if c.sock.Closed() {
			return sendErr(L, "failed to send frame: Bad file descriptor")
		}
		// Queued or written now: the layer's SendFrame.
		n, err := c.lc.SendFrame(rt.MustTask(L), fin, op, payload)
		if err != nil {
			return sendErr(L, "failed to send frame: "+sendErrString(err))
		}
		c.pushCount(L, n)
		return 1
	}
	// pushFrame returns a frame as recv_frame does. It is a function of
	// its own so that recv_frame's frame, on the idle handler's stack,
	// stays small.
	pushFrame := func(L *lua.LState, f *wscore.Frame) int {
		if f.Opcode == wscore.OpClose {
			code, reason := f.CloseCode()
			L.Push(lua.LString(reason))
			L.Push(lTypes[wscore.OpClose])
			if code == wscore.StatusNoStatus {
				L.Push(lua.LNil)
			} else {
				L.Push(lua.LNumber(code))
			}
			return 3
		}
		L.Push(lua.LString(f.Payload))
		L.Push(lTypes[f.Opcode&0xf])
		if !f.Fin {
			L.Push(again)
		} else {
			L.Push(lua.LNil)
		}
		return 3
	}
	// recvFrame is recv_frame's read and results. An idle wait parks the
	// task without its goroutine when the call allows it (layer.ErrIdle);
	// the parked call finishes in recvFrame again, on the goroutine that
	// resumes it.
	var recvFrame func(L *lua.LState, c *conn, timeout time.Duration) int
	recvFrame = func(L *lua.LState, c *conn, timeout time.Duration) int {
		t := rt.MustTask(L)
		var f wscore.Frame
		for {
			err := c.lc.ReadFrame(t, timeout, &f)
			if err == layer.ErrIdle {
				if n, ok := c.lc.Park(t, L, func(L *lua.LState) int { return recvFrame(L, c, timeout) }); ok {
					return n
				}
				continue
			}
			if err != nil {
				return recvErr(L, ErrorString(err))
			}
			return pushFrame(L, &f)
		}
	}
	payloadArg := func(L *lua.LState, n int) string {
		switch v := L.Get(n).(type) {
		case *lua.LNilType:
			return ""
		case lua.LString:
			return string(v)
		default:
			return L.ToStringMeta(v).String()
		}
	}
	simple := func(op wscore.Opcode) lua.LGFunction {
		return func(L *lua.LState) int {
			c := self(L)
			return sendFrame(L, c, true, op, payloadArg(L, 2))
		}
	}
	return map[string]lua.LGFunction{
		"recv_frame": func(L *lua.LState) int {
			c := self(L)
			if c.lc.Reading() {
				L.RaiseError("another coroutine is already waiting for read on this file descriptor")
			}
			if c.sock.Closed() {
				return recvErr(L, "failed to receive the first 2 bytes: Bad file descriptor")
			}
			var timeout time.Duration
			if v, ok := L.Get(2).(lua.LNumber); ok && v > 0 {
				timeout = time.Duration(float64(v) * float64(time.Second))
			}
			return recvFrame(L, c, timeout)
		},
		"send_frame": func(L *lua.LState) int {
			c := self(L)
			fin := L.ToBool(2)
			op := wscore.Opcode(L.CheckInt(3))
			return sendFrame(L, c, fin, op, payloadArg(L, 4))
		},
		"send_text":   simple(wscore.OpText),
		"send_binary": simple(wscore.OpBinary),
		"send_ping":   simple(wscore.OpPing),
		"send_pong":   simple(wscore.OpPong),
		"send_close": func(L *lua.LState) int {
			c := self(L)
			var payload string
			if L.GetTop() >= 2 && L.Get(2) != lua.LNil {
				code, ok := L.Get(2).(lua.LNumber)
				if !ok || code > 0x7fff {
					return sendErr(L, "bad status code")
				}
				v := int(code)
				payload = string([]byte{byte(v >> 8), byte(v)}) + payloadArg(L, 3)
			}
			return sendFrame(L, c, true, wscore.OpClose, payload)
		},
	}
}

// sendErrString words a wscore write error for 'failed to send frame: '.
func sendErrString(err error) string {
	if w, ok := ecoWords.For(err); ok {
		return w
	}
	switch {
	case errors.Is(err, wscore.ErrCloseSent):
		return "close frame already sent"
	case errors.Is(err, wscore.ErrBadSequence):
		return "invalid fragmentation sequence"
	case errors.Is(err, wscore.ErrBadOpcode):
		return "invalid opcode"
	case errors.Is(err, wscore.ErrClosed):
		return "closed"
	}
	var pe *wscore.ProtocolError
	if errors.As(err, &pe) {
		return pe.Reason
	}
	return socket.ErrString(err)
}

// ecoWords word the layer's reasons for ending a connection, after
// "failed to send frame: " or "failed to receive the first 2 bytes: ".
var ecoWords = layer.Words{
	SlowConsumer: "slow consumer", WriteTimeout: "write timeout", GoingAway: "going away",
	HandlerFailed: "closed", Closed: "closed",
}
