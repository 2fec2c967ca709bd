package http

import (
	"bufio"
	"context"
	"errors"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/golua-ws/golua-ws/luamod/eco/socket"
	luahttp "github.com/golua-ws/golua-ws/luamod/http"
	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
)

// serverName is the default Server header (lua-eco sends Lua-eco/<version>).
const serverName = "Lua-eco/4.1.3 (golua-ws)"

// headerTimeout bounds reading one request head (lua-eco: 3 s per line).
const headerTimeout = 10 * time.Second

// state is the per-Runtime state of eco.http.server: the con methods and the
// Go side of every live con table. Token required for every field.
type state struct {
	rt      *runtime.Runtime
	methods *lua.LTable
	conMeta *lua.LTable
	conns   map[*lua.LTable]*conn
	// reqMeta is the metatable of a running handler's req (protected:
	// see request), reqs the conn of each such req.
	reqMeta *lua.LTable
	reqs    map[*lua.LTable]*conn
	// socks closes the taken-over connections at the runtime's exit.
	socks *socket.Registry

	// Values shared by every con and req. gopher-lua boxes each number
	// and string stored in a table (8 to 48 bytes a field); these are
	// boxed once. Boxed values are immutable, so sharing them is
	// invisible to Lua.
	serverHeader lua.LValue
	code200      lua.LValue
	small        [4]lua.LValue // LNumber(0) ... LNumber(3): HTTP versions
	dateSecond   int64         // the second date was made for
	date         lua.LValue    // the Date header of dateSecond
	// lastHeader holds the last value of each request header whose
	// values repeat (see headerValue).
	lastHeader [sharedHeaders]lua.LValue
}

// server is one http.listen call.
type server struct {
	st        *state
	handler   *lua.LFunction
	options   *lua.LTable
	keepalive int
	// keepAliveHeader is the Keep-Alive value every response starts with.
	keepAliveHeader lua.LValue
}

// conn is the Go side of one request's con object.
type conn struct {
	srv *server
	// w and r are net/http's; both are nil once a 101 took the connection
	// over (see dropHTTPState).
	w http.ResponseWriter
	r *http.Request
	// con is the con table, its fields in Go until read (conn is its
	// fieldSource); req is the req table's Go side.
	con lazyTable
	req request
	// resp is con.resp, a table only once a script reads it (see
	// response); peer is the address con.peer is made from; sockValue is
	// con.sock after a take-over.
	resp      response
	peer      netip.AddrPort
	sockValue *lua.LUserData

	method    string // the request method, kept past the take-over
	formCType string // a taken-over POST's content-type, for read_formdata

	code     int    // status given to net/http
	headSent bool   // the status and headers were handed to net/http (or written raw)
	flushed  bool   // something reached net/http's writer
	chunked  bool   // eco's view: no content-length, chunked framing
	formed   bool   // read_formdata was called (con.formed)
	out      []byte // output buffered until flush or the end of the handler
	// head101 is a 101 reply's header, name and value in turn: that head
	// is written raw at the take-over, not through net/http's header map.
	head101 []string
	remain  int64 // request body bytes not read yet
	form    *formState

	hijacked net.Conn       // set once a 101 response took the connection over
	sock     *socket.Socket // con.sock after the take-over
	// upgraded is closed at the take-over, letting net/http's goroutine
	// return; the field is cleared then (ServeHTTP waits on its own copy).
	upgraded chan struct{}

	aborted bool // the handler returned false: drop the connection
	failed  bool // the handler raised an error
}

func newState(rt *runtime.Runtime, L *lua.LState) *state {
	st := &state{rt: rt, conns: make(map[*lua.LTable]*conn), reqs: make(map[*lua.LTable]*conn),
		socks: socket.NewRegistry()}
	rt.OnClose(st.socks.Close)
	st.serverHeader = lua.LString(serverName)
	st.code200 = lua.LNumber(200)
	for i := range st.small {
		st.small[i] = lua.LNumber(i)
	}
	st.methods = L.SetFuncs(L.NewTable(), st.conMethods())
	st.conMeta = L.NewTable()
	st.conMeta.RawSetString("__index", L.NewFunction(st.index))
	st.conMeta.RawSetString("__newindex", L.NewFunction(st.newindex))
	// Request finds the state of a con through its metatable: nothing
	// per con.
	ud := L.NewUserData()
	ud.Value = st
	st.conMeta.RawSetString(stateField, ud)
	st.reqMeta = L.CreateTable(0, 3)
	st.reqMeta.RawSetString("__index", L.NewFunction(st.reqIndex))
	st.reqMeta.RawSetString("__newindex", L.NewFunction(st.reqNewindex))
	st.reqMeta.RawSetString("__metatable", lua.LFalse)
	return st
}

// stateField names the con metatable's field holding its *state.
const stateField = "__golua_ws_state"

// Request returns the net/http request behind con, a con table of
// eco.http.server, for eco.websocket's upgrade (wscore.CheckRequest
// decides whether it is a valid WebSocket upgrade). It returns nil when
// con is not such a table or its connection was taken over already.
// Token required.
func Request(L *lua.LState, con lua.LValue) *http.Request {
	if c := activeConn(L, con); c != nil {
		return c.r
	}
	return nil
}

// HeadSent reports con.resp.head_sent, for eco.websocket's upgrade, without
// building con.resp (see response): ok is false when con is not an active
// connection of eco.http.server. Token required.
func HeadSent(L *lua.LState, con lua.LValue) (sent, ok bool) {
	c := activeConn(L, con)
	if c == nil {
		return false, false
	}
	if !c.con.unread(c, conResp) {
		// The script has the table (or replaced or removed it): what it
		// holds is what Lua's con.resp.head_sent would read.
		return false, false
	}
	return c.resp.headSent(), true
}

// Version returns req.major_version and req.minor_version, for
// eco.websocket's upgrade, without storing them in req (see request): ok
// is false when con is not an active connection of eco.http.server, req
// is not its request, or a script has read or assigned either field.
// Token required.
func Version(L *lua.LState, con, req lua.LValue) (major, minor int, ok bool) {
	c := activeConn(L, con)
	if c == nil || req != lua.LValue(c.req.tbl) {
		return 0, 0, false
	}
	if src := c.reqSource(); !c.req.unread(src, reqMajor) || !c.req.unread(src, reqMinor) {
		return 0, 0, false
	}
	return int(c.resp.major), int(c.resp.minor), true
}

// Sock returns con.sock, for eco.websocket's upgrade, without storing it in
// con (see lazyTable): ok is false when con is not an active
// connection of eco.http.server or a script has read or assigned con.sock.
// Token required.
func Sock(L *lua.LState, con lua.LValue) (sock lua.LValue, ok bool) {
	c := activeConn(L, con)
	if c == nil || !c.con.unread(c, conSock) {
		return lua.LNil, false
	}
	return c.goField(L, conSock), true
}

// activeConn returns the Go side of con when it is the con table of a
// running eco.http.server handler, else nil. Token required.
func activeConn(L *lua.LState, con lua.LValue) *conn {
	tbl, _ := con.(*lua.LTable)
	mt, _ := L.GetMetatable(con).(*lua.LTable)
	if tbl == nil || mt == nil {
		return nil
	}
	if ud, ok := mt.RawGetString(stateField).(*lua.LUserData); ok {
		if st, ok := ud.Value.(*state); ok {
			return st.conns[tbl]
		}
	}
	return nil
}

// index is the con metatable's __index: the con methods, and the con
// fields, which are stored in con on their first read (lazyTable.index).
// With a function rather than the methods table as __index, a method
// lookup costs a Go call; storing con's fields and building con.resp and
// con.peer for every request would cost more, and keeping them would cost
// every WebSocket about 3 KiB.
func (st *state) index(L *lua.LState) int {
	name, ok := L.Get(2).(lua.LString)
	if !ok {
		L.Push(lua.LNil)
		return 1
	}
	if m := st.methods.RawGetString(string(name)); m != lua.LNil {
		L.Push(m)
		return 1
	}
	var v lua.LValue = lua.LNil
	if c := st.conns[L.CheckTable(1)]; c != nil {
		v = c.con.index(L, c, string(name))
	}
	L.Push(v)
	return 1
}

// newindex is the con metatable's __newindex: a plain assignment, which
// also tells the con that a field of its own it had not stored yet is the
// script's now.
func (st *state) newindex(L *lua.LState) int {
	t := L.CheckTable(1)
	if name, ok := L.Get(2).(lua.LString); ok {
		if c := st.conns[t]; c != nil {
			c.con.assigned(c, string(name))
		}
	}
	L.RawSet(t, L.Get(2), L.Get(3))
	return 0
}

func (st *state) conOf(L *lua.LState) *conn {
	t, ok := L.Get(1).(*lua.LTable)
	if ok {
		if c := st.conns[t]; c != nil {
			return c
		}
	}
	L.RaiseError("the con object is not an active eco.http.server connection")
	return nil
}

// number returns n as a Lua number, shared when it is a small one.
func (st *state) number(n int) lua.LValue {
	if n >= 0 && n < len(st.small) {
		return st.small[n]
	}
	return lua.LNumber(n)
}

// dateHeader returns the Date header for now, made once a second.
func (st *state) dateHeader() lua.LValue {
	now := time.Now()
	if sec := now.Unix(); sec != st.dateSecond || st.date == nil {
		st.dateSecond = sec
		st.date = lua.LString(now.UTC().Format(http.TimeFormat))
	}
	return st.date
}

// newServer applies http.listen's option defaults (docroot ".", index
// "index.html", http_keepalive 30 s), writing them back into opts as lua-eco
// does, and returns the server for handler.
func newServer(st *state, handler *lua.LFunction, opts *lua.LTable) *server {
	srv := &server{st: st, handler: handler, options: opts, keepalive: 30}
	docroot := "."
	if v, ok := opts.RawGetString("docroot").(lua.LString); ok {
		docroot = string(v)
		if docroot != "/" {
			docroot = strings.TrimSuffix(docroot, "/")
		}
	}
	opts.RawSetString("docroot", lua.LString(docroot))
	if _, ok := opts.RawGetString("index").(lua.LString); !ok {
		opts.RawSetString("index", lua.LString("index.html"))
	}
	if v, ok := opts.RawGetString("http_keepalive").(lua.LNumber); ok {
		srv.keepalive = int(v)
	}
	opts.RawSetString("http_keepalive", lua.LNumber(srv.keepalive))
	srv.keepAliveHeader = lua.LString("timeout=" + strconv.Itoa(srv.keepalive))
	return srv
}

// listen implements http.listen(ipaddr, port, options, handler).
func (st *state) listen(L *lua.LState) int {
	opts := L.CheckTable(3)
	handler := L.CheckFunction(4)
	srv := newServer(st, handler, opts)

	ln, e := socket.ListenTCP(st.rt, L, 1)
	if e != "" {
		L.Push(lua.LNil)
		L.Push(lua.LString(e))
		return 2
	}
	cfg := luahttp.Config{
		Handler:           srv,
		ReadHeaderTimeout: headerTimeout,
		IdleTimeout:       time.Duration(srv.keepalive) * time.Second,
		// WebSocket handshakes are served by the front door, the rest by
		// net/http.
		FrontDoor: true,
	}
	if srv.keepalive <= 0 {
		cfg.IdleTimeout = -1
	}
	_, hasCert := opts.RawGetString("cert").(lua.LString)
	_, hasKey := opts.RawGetString("key").(lua.LString)
	if hasCert && hasKey {
		tc, err := socket.TLSServerConfig(opts)
		if err != nil {
			_ = ln.Close()
			L.Push(lua.LNil)
			L.Push(lua.LString(err.Error()))
			return 2
		}
		opts.RawSetString("ssl", lua.LTrue)
		cfg.TLS = tc
	}
	hs := luahttp.New(st.rt, ln, cfg)
	t := st.rt.MustTask(L)
	release := st.rt.Hold()
	defer release()
	err := t.Block(func(ctx context.Context) error {
		err := hs.Serve()
		select {
		case <-st.rt.Draining():
			// A graceful shutdown closed the listener. lua-eco's listen
			// never returns then (the process just ends), and scripts
			// follow it with os.exit(1) or error(): returning would cut
			// the shutdown short. The task ends with the runtime.
			<-ctx.Done()
		default:
		}
		return err
	})
	// Serve only returns when the listener fails.
	L.Push(lua.LNil)
	L.Push(lua.LString(socket.ErrString(err)))
	return 2
}

// ServeHTTP runs the Lua handler for one request as a task and waits for it
// (or for the connection to be taken over by a WebSocket upgrade).
func (srv *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	upgraded := make(chan struct{})
	c := &conn{srv: srv, w: w, r: r, method: r.Method, upgraded: upgraded, remain: r.ContentLength}
	if c.remain < 0 {
		c.remain = 0
	}
	rt := srv.st.rt
	// The handler runs as a StartLua task: a WebSocket it upgrades to can
	// park its idle reads without a goroutine.
	task := rt.StartLua("http handler", runtime.Queued|runtime.ReuseThread, runtime.LuaBody{Setup: c.setup, Finish: c.done})
	if task == nil {
		http.Error(w, "server shutting down", http.StatusServiceUnavailable)
		return
	}
	select {
	case <-task.Done():
	case <-upgraded:
		// The task owns the connection now; net/http is done with it.
		return
	case <-rt.Done():
		panic(http.ErrAbortHandler)
	}
	if c.hijacked != nil {
		return
	}
	switch {
	case c.aborted:
		panic(http.ErrAbortHandler)
	case c.failed:
		if !c.flushed {
			w.Header().Set("Connection", "close")
			w.Header().Set("Content-Length", "0")
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		panic(http.ErrAbortHandler)
	}
	c.writeOut()
}

// setup begins the handler task: the con and req tables, and the handler
// to call with them.
func (c *conn) setup(t *runtime.Task) (*lua.LFunction, []lua.LValue) {
	L := t.L
	st := c.srv.st
	c.con.tbl = c.newCon(L)
	st.conns[c.con.tbl] = c
	// Room for the fields a script reads (all nine would make a two-group
	// map, which settle makes once the handler ends).
	req := L.CreateTable(0, 8)
	L.SetMetatable(req, st.reqMeta)
	c.req.init(c.r, req)
	st.reqs[req] = c
	return c.srv.handler, []lua.LValue{c.con.tbl, req}
}

// done ends the handler task once the handler returned (rets) or raised
// (err): the reply is prepared or the connection dropped, and the con and
// req fields no script read are stored in con and req (settle).
func (c *conn) done(t *runtime.Task, rets []lua.LValue, err error) error {
	L := t.L
	defer func() {
		st := c.srv.st
		c.con.settle(L, c)
		delete(st.conns, c.con.tbl)
		c.req.settle(L, c.reqSource())
		delete(st.reqs, c.req.tbl)
		// req is the plain table lua-eco's is from now on, unless the
		// script gave it a metatable of its own (setmetatable cannot,
		// ours being protected, but debug.setmetatable can).
		if c.req.tbl.Metatable == st.reqMeta {
			L.SetMetatable(c.req.tbl, lua.LNil)
		}
	}()
	if err != nil {
		c.failed = true
		if c.sock == nil || !c.sock.Detached() {
			// A WebSocket's owner (eco.websocket) closes it with 1011
			// when this task ends with the error (Task.OnExit).
			c.closeHijacked()
		}
		return err
	}
	var ret lua.LValue = lua.LNil
	if len(rets) > 0 {
		ret = rets[0]
	}
	if ret == lua.LFalse {
		c.aborted = true
		c.closeHijacked()
		return nil
	}
	if c.hijacked != nil {
		// A 101 reply (or a take-over) ends with the handler, as in lua-eco.
		if len(c.out) > 0 {
			out := c.out
			c.out = nil
			_ = t.Block(func(context.Context) error { _, err := c.hijacked.Write(out); return err })
		}
		c.closeHijacked()
		return nil
	}
	if !c.headSent {
		c.prepareHead(L)
	}
	return nil
}

func (c *conn) closeHijacked() {
	if c.hijacked == nil {
		return
	}
	if c.sock != nil {
		// The socket wraps the hijacked connection and closes it; after a
		// WebSocket upgrade it first writes the frames eco.websocket queued.
		_ = c.sock.Close()
		return
	}
	_ = c.hijacked.Close()
}

// writeOut hands the buffered output to net/http after the handler ended.
// It runs on net/http's goroutine, the task being finished.
func (c *conn) writeOut() {
	if !c.flushed {
		if c.code == http.StatusSwitchingProtocols {
			h := c.w.Header()
			for i := 0; i+1 < len(c.head101); i += 2 {
				h[c.head101[i]] = []string{c.head101[i+1]}
			}
		}
		c.w.WriteHeader(c.code)
	}
	if len(c.out) > 0 {
		_, _ = c.w.Write(c.out)
	}
}

// newCon makes the con table, empty: its fields are stored when a script
// first reads them (lazyTable).
func (c *conn) newCon(L *lua.LState) *lua.LTable {
	srv := c.srv
	c.resp.init(srv.st, srv, c.r.ProtoMajor, c.r.ProtoMinor, len(c.r.Header["Upgrade"]) > 0)
	// RemoteAddr is always a literal ip:port: parse it rather than go
	// through the resolver, whose deep call chain would grow this task's
	// stack for the rest of a WebSocket's life.
	if ap, err := netip.ParseAddrPort(c.r.RemoteAddr); err == nil {
		c.peer = ap
	}
	// Room for the six con fields and a few of the script's own: a
	// gopher-lua table's first string key would otherwise make a map for
	// 32. A map sized for up to 8 is made on its first key.
	con := L.CreateTable(0, 8)
	L.SetMetatable(con, srv.st.conMeta)
	return con
}

// titleCase writes a header name the way lua-eco does: upper case at the
// start and after every '-', with its special spellings.
func titleCase(name string) string {
	switch name {
	case "etag":
		return "ETag"
	case "www-authenticate":
		return "WWW-Authenticate"
	// The names every response and every WebSocket handshake sends, in
	// their title case without allocating.
	case "server":
		return "Server"
	case "date":
		return "Date"
	case "keep-alive":
		return "Keep-Alive"
	case "upgrade":
		return "Upgrade"
	case "connection":
		return "Connection"
	case "sec-websocket-accept":
		return "Sec-Websocket-Accept"
	case "sec-websocket-protocol":
		return "Sec-Websocket-Protocol"
	case "sec-websocket-extensions":
		return "Sec-Websocket-Extensions"
	case "content-type":
		return "Content-Type"
	case "content-length":
		return "Content-Length"
	case "transfer-encoding":
		return "Transfer-Encoding"
	}
	b := []byte(name)
	up := true
	for i, ch := range b {
		if up && ch >= 'a' && ch <= 'z' {
			b[i] = ch - 'a' + 'A'
		}
		up = ch == '-'
	}
	return string(b)
}

// prepareHead turns con.resp into net/http's status and headers (lua-eco's
// send_http_head) and marks the head as sent. Token required.
func (c *conn) prepareHead(L *lua.LState) {
	resp := &c.resp
	code := 200
	if v, ok := resp.field("code").(lua.LNumber); ok {
		code = int(v)
	}
	if code == http.StatusSwitchingProtocols {
		c.head101 = switchingHead(resp)
		c.headSent = true
		resp.markSent(false)
		c.code = code
		return
	}
	h := c.w.Header()
	resp.eachHeader(func(name string, v lua.LValue) {
		h[titleCase(strings.ToLower(name))] = []string{v.String()}
	})
	if code/100 == 1 || code == 204 || code == 304 {
		delete(h, "Transfer-Encoding")
		if code != 101 && h.Get("Content-Length") == "" {
			h.Set("Content-Length", "0")
		}
	} else if te := h.Get("Transfer-Encoding"); te != "" {
		c.chunked = strings.ToLower(te) == "chunked"
	} else if h.Get("Content-Length") == "" {
		c.chunked = true
		h.Set("Transfer-Encoding", "chunked")
	}
	c.headSent = true
	resp.markSent(c.chunked)
	c.code = code
}

// switchingHead lists a 101 reply's headers, name and value in turn, as
// prepareHead would give them to net/http: title-cased names, one value
// each (the last of names that differ only in case), no Transfer-Encoding.
func switchingHead(resp *response) []string {
	head := make([]string, 0, 16)
	resp.eachHeader(func(name string, v lua.LValue) {
		name = titleCase(strings.ToLower(name))
		if name == "Transfer-Encoding" {
			return
		}
		for i := 0; i < len(head); i += 2 {
			if head[i] == name {
				head[i+1] = v.String()
				return
			}
		}
		head = append(head, name, v.String())
	})
	return head
}

// flush writes the head and the buffered output. A 101 status takes the
// connection over from net/http. Token required; it is released while
// writing.
func (c *conn) flush(L *lua.LState, t *runtime.Task) string {
	if !c.headSent {
		c.prepareHead(L)
	}
	out := c.out
	c.out = nil
	if c.hijacked != nil {
		if len(out) == 0 {
			return ""
		}
		err := t.Block(func(context.Context) error { _, err := c.hijacked.Write(out); return err })
		if err != nil {
			return socket.ErrString(err)
		}
		return ""
	}
	if c.code == http.StatusSwitchingProtocols {
		return c.takeOver(L, t, out)
	}
	err := t.Block(func(context.Context) error {
		if !c.flushed {
			c.w.WriteHeader(c.code)
		}
		if len(out) > 0 {
			if _, err := c.w.Write(out); err != nil {
				return err
			}
		}
		return http.NewResponseController(c.w).Flush()
	})
	c.flushed = true
	if err != nil {
		return socket.ErrString(err)
	}
	return ""
}

// dropHTTPState lets go of net/http's objects once the connection has been
// taken over. The ResponseWriter and the Request reach net/http's per
// connection state (its read and write buffers, the request's header map,
// URL, body and context), which a WebSocket that lives for hours would
// otherwise keep alive. The con methods need only the method and, for
// read_formdata, a POST's content-type: those are kept as strings.
func (c *conn) dropHTTPState() {
	if c.method == http.MethodPost {
		c.formCType = c.r.Header.Get("Content-Type")
	}
	c.keepHeaders(c.r)
	c.r = nil
	c.w = nil
}

// formBody returns the request body and content-type read_formdata parses.
// After a take-over the body is gone (net/http read none of it).
func (c *conn) formBody() (io.Reader, string) {
	if c.r == nil {
		return http.NoBody, c.formCType
	}
	return c.r.Body, c.r.Header.Get("Content-Type")
}

// takeOver hijacks the connection, writes the 101 head itself and exposes
// the connection as con.sock.
func (c *conn) takeOver(L *lua.LState, t *runtime.Task, out []byte) string {
	var nc net.Conn
	var rest []byte
	head := c.rawHead(out)
	c.head101 = nil
	// The take-over runs deep once; BlockDeep keeps that depth off the
	// stack this task will sit on for the connection's whole life.
	err := t.BlockDeep(func(context.Context) error {
		var brw *bufio.ReadWriter
		var err error
		nc, brw, err = http.NewResponseController(c.w).Hijack()
		if err != nil {
			return err
		}
		_ = nc.SetDeadline(time.Time{})
		if n := brw.Reader.Buffered(); n > 0 {
			rest, _ = brw.Reader.Peek(n)
			rest = append([]byte(nil), rest...)
		}
		_, err = nc.Write(head)
		return err
	})
	if nc == nil {
		return socket.ErrString(err)
	}
	c.hijacked = nc
	c.flushed = true
	c.resp.compact()
	c.dropHTTPState()
	c.sock = socket.WrapIn(c.srv.st.socks, c.srv.st.rt, nc, rest)
	c.sockValue = c.sock.Push(L)
	c.con.publish(L, c, conSock)
	close(c.upgraded)
	c.upgraded = nil
	if err != nil {
		return socket.ErrString(err)
	}
	return ""
}

// rawHead serialises the 101 head for a taken-over connection, followed
// by out (the output buffered behind it), in one buffer.
func (c *conn) rawHead(out []byte) []byte {
	reason := http.StatusText(c.code)
	given, hasReason := c.resp.field("status").(lua.LString)
	if hasReason {
		reason = string(given)
	}
	n := len("HTTP/1.1 101 \r\n\r\n") + len(reason) + len(out)
	for _, f := range c.head101 {
		n += len(f) + 2
	}
	b := make([]byte, 0, n)
	b = append(b, "HTTP/"...)
	b = strconv.AppendInt(b, int64(c.r.ProtoMajor), 10)
	b = append(b, '.')
	b = strconv.AppendInt(b, int64(c.r.ProtoMinor), 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(c.code), 10)
	if hasReason || reason != "" {
		b = append(b, ' ')
		b = append(b, reason...)
	}
	b = append(b, "\r\n"...)
	for i := 0; i+1 < len(c.head101); i += 2 {
		b = append(b, c.head101[i]...)
		b = append(b, ": "...)
		b = append(b, c.head101[i+1]...)
		b = append(b, "\r\n"...)
	}
	b = append(b, "\r\n"...)
	return append(b, out...)
}

// readBody reads up to n body bytes (all of them with n < 0).
func (c *conn) readBody(L *lua.LState, t *runtime.Task, n int64, timeout float64) (string, string) {
	if c.hijacked != nil {
		return "", ""
	}
	if n < 0 || n > c.remain {
		n = c.remain
	}
	if n == 0 {
		return "", ""
	}
	rc := http.NewResponseController(c.w)
	if timeout > 0 {
		_ = rc.SetReadDeadline(time.Now().Add(time.Duration(timeout * float64(time.Second))))
		defer rc.SetReadDeadline(time.Time{})
	}
	buf := make([]byte, n)
	var got int
	err := t.Block(func(context.Context) error {
		var err error
		got, err = io.ReadFull(c.r.Body, buf)
		return err
	})
	c.remain -= int64(got)
	c.con.publish(L, c, conBodyRemain)
	if err != nil {
		return "", socket.ErrString(err)
	}
	return string(buf), ""
}

func (c *conn) discardBody(L *lua.LState, t *runtime.Task) string {
	if c.remain == 0 || c.hijacked != nil {
		return ""
	}
	err := t.Block(func(context.Context) error {
		_, err := io.Copy(io.Discard, c.r.Body)
		return err
	})
	c.remain = 0
	c.con.publish(L, c, conBodyRemain)
	if err != nil {
		return socket.ErrString(err)
	}
	return ""
}

// sendFile flushes the head and the buffered output, then the file.
func (c *conn) sendFile(L *lua.LState, t *runtime.Task, path string, count, offset int64) string {
	f, err := os.Open(path)
	if err != nil {
		return socket.ErrString(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return socket.ErrString(err)
	}
	if !fi.Mode().IsRegular() {
		return "forbidden"
	}
	if count < 0 {
		count = fi.Size() - offset
	}
	if e := c.flush(L, t); e != "" {
		return e
	}
	err = t.Block(func(context.Context) error {
		if _, err := f.Seek(offset, io.SeekStart); err != nil {
			return err
		}
		var w io.Writer = c.hijacked
		if w == nil {
			w = c.w
		}
		_, err := io.Copy(w, io.LimitReader(f, count))
		return err
	})
	if err != nil {
		return socket.ErrString(err)
	}
	return ""
}

// formState walks a multipart/form-data body for con:read_formdata.
type formState struct {
	mr      *multipart.Reader
	part    *multipart.Part
	headers [][2]string
	buf     []byte
	ended   bool
}

// nextFormEvent returns lua-eco's next read_formdata event.
func (c *conn) nextFormEvent(t *runtime.Task, timeout float64) (typ string, a, b string, found bool, errs string) {
	fs := c.form
	if fs.ended {
		return "end", "", "", false, ""
	}
	if len(fs.headers) > 0 {
		h := fs.headers[0]
		fs.headers = fs.headers[1:]
		return "header", h[0], h[1], false, ""
	}
	if timeout > 0 && c.w != nil {
		rc := http.NewResponseController(c.w)
		_ = rc.SetReadDeadline(time.Now().Add(time.Duration(timeout * float64(time.Second))))
		defer rc.SetReadDeadline(time.Time{})
	}
	if fs.part == nil {
		var p *multipart.Part
		err := t.Block(func(context.Context) error {
			var err error
			p, err = fs.mr.NextRawPart()
			return err
		})
		if errors.Is(err, io.EOF) {
			fs.ended = true
			c.remain = 0
			return "end", "", "", false, ""
		}
		if err != nil {
			return "", "", "", false, "bad request"
		}
		fs.part = p
		for k, vs := range p.Header {
			for _, v := range vs {
				fs.headers = append(fs.headers, [2]string{strings.ToLower(k), v})
			}
		}
		if len(fs.headers) > 0 {
			h := fs.headers[0]
			fs.headers = fs.headers[1:]
			return "header", h[0], h[1], false, ""
		}
	}
	if fs.buf == nil {
		fs.buf = make([]byte, 4096)
	}
	var n int
	err := t.Block(func(context.Context) error {
		var err error
		n, err = io.ReadFull(fs.part, fs.buf)
		return err
	})
	switch {
	case err == nil:
		return "body", string(fs.buf[:n]), "", false, ""
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		fs.part = nil
		return "body", string(fs.buf[:n]), "", true, ""
	}
	return "", "", "", false, socket.ErrString(err)
}
