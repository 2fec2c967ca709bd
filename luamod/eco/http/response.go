package http

import (
	"github.com/golua-ws/golua-ws/luamod/eco/socket"
	lua "github.com/yuin/gopher-lua"
)

// response is con.resp, lua-eco's response table: major_version,
// minor_version, code, headers, data, head_sent, and status and chunked
// once set.
//
// Most handlers never read con.resp: they call set_status, add_header and
// send. A WebSocket handler keeps its con for the connection's whole life,
// and con.resp as Lua tables (the response, its headers, its data) costs
// about 2 KiB per connection, as much as the connection's Lua thread. So
// the response is kept in Go until a script reads con.resp: then the con
// metatable's __index builds the table (state.index), and from then on the
// table is the only record, since the script may change it. Every Go
// reader and writer of the response goes through the methods below, which
// use the table once it exists.
type response struct {
	tbl *lua.LTable // con.resp once built; nil before
	// made is set once the table was built, or once a script assigned
	// con.resp before reading it (that table replaced one the script never
	// saw): either way the table is never built again.
	made bool

	// The fields while tbl is nil.
	major, minor uint8
	code         lua.LValue
	status       lua.LValue // the reason given to set_status, or nil
	headers      []respHeader
	sent         bool // head_sent
	chunked      bool
}

// respHeader is one field of con.resp.headers while the response is kept
// in Go. A header set to nil keeps its place, as a gopher-lua table keeps a
// key's place, so the table built later iterates in the same order.
type respHeader struct {
	name  string
	value lua.LValue
}

// init sets the response every request starts with: 200, and lua-eco's
// Server, Date and (with keep-alive) Keep-Alive headers.
func (r *response) init(st *state, srv *server, major, minor int) {
	r.major, r.minor = uint8(major), uint8(minor)
	r.code = st.code200
	// Room for a 101's headers (upgrade, connection, sec-websocket-accept,
	// -protocol, -extensions) without growing.
	r.headers = make([]respHeader, 0, 8)
	r.headers = append(r.headers,
		respHeader{"server", st.serverHeader},
		respHeader{"date", st.dateHeader()})
	if srv.keepalive > 0 {
		r.headers = append(r.headers, respHeader{"keep-alive", srv.keepAliveHeader})
	}
}

// build makes con.resp's table from the fields kept in Go; it is then the
// response's only record. Token required.
func (r *response) build(L *lua.LState, st *state) *lua.LTable {
	r.made = true
	resp := L.CreateTable(0, 8)
	resp.RawSetString("major_version", st.number(int(r.major)))
	resp.RawSetString("minor_version", st.number(int(r.minor)))
	resp.RawSetString("code", r.code)
	headers := L.CreateTable(0, len(r.headers))
	for _, h := range r.headers {
		if h.value != lua.LNil {
			headers.RawSetString(h.name, h.value)
		}
	}
	resp.RawSetString("headers", headers)
	resp.RawSetString("data", L.CreateTable(0, 0))
	resp.RawSetString("head_sent", lua.LBool(r.sent))
	// set_status raises once the head is sent, so a status always came
	// before chunked, as here.
	if r.status != nil {
		resp.RawSetString("status", r.status)
	}
	if r.chunked {
		resp.RawSetString("chunked", lua.LTrue)
	}
	r.tbl = resp
	r.headers = nil
	r.code, r.status = nil, nil
	return resp
}

// replaced records that a script assigned con.resp before reading it.
func (r *response) replaced() {
	if !r.made {
		r.made = true
		r.headers = nil
	}
}

// field returns the response's code or status.
func (r *response) field(name string) lua.LValue {
	if r.tbl != nil {
		return r.tbl.RawGetString(name)
	}
	var v lua.LValue
	switch name {
	case "code":
		v = r.code
	case "status":
		v = r.status
	}
	if v == nil {
		return lua.LNil
	}
	return v
}

// setField sets the response's code or status.
func (r *response) setField(name string, v lua.LValue) {
	if r.tbl != nil {
		r.tbl.RawSetString(name, v)
		return
	}
	switch name {
	case "code":
		r.code = v
	case "status":
		r.status = v
	}
}

// headSent returns con.resp.head_sent as a condition.
func (r *response) headSent() bool {
	if r.tbl != nil {
		return lua.LVAsBool(r.tbl.RawGetString("head_sent"))
	}
	return r.sent
}

// markSent sets head_sent, and chunked when the body is chunked.
func (r *response) markSent(chunked bool) {
	if r.tbl != nil {
		if chunked {
			r.tbl.RawSetString("chunked", lua.LTrue)
		}
		r.tbl.RawSetString("head_sent", lua.LTrue)
		return
	}
	r.chunked = r.chunked || chunked
	r.sent = true
}

// setHeader sets con.resp.headers[name] (name in lower case already).
// A script may have replaced con.resp.headers with something that is not
// a table: that raises an error.
func (r *response) setHeader(L *lua.LState, name string, v lua.LValue) {
	if r.tbl != nil {
		hdrs, ok := r.tbl.RawGetString("headers").(*lua.LTable)
		if !ok {
			L.RaiseError("con.resp.headers is not a table")
		}
		hdrs.RawSetString(name, v)
		return
	}
	for i := range r.headers {
		if r.headers[i].name == name {
			r.headers[i].value = v
			return
		}
	}
	if v != lua.LNil {
		r.headers = append(r.headers, respHeader{name, v})
	}
}

// eachHeader calls fn with every header whose name is a string, in the
// order the names were first set.
func (r *response) eachHeader(fn func(name string, v lua.LValue)) {
	if r.tbl == nil {
		for _, h := range r.headers {
			if h.value != lua.LNil {
				fn(h.name, h.value)
			}
		}
		return
	}
	hdrs, ok := r.tbl.RawGetString("headers").(*lua.LTable)
	if !ok {
		return
	}
	// Next walks the keys gopher-lua keeps boxed already; ForEach would
	// box every key again.
	for k, v := hdrs.Next(lua.LNil); k != lua.LNil; k, v = hdrs.Next(k) {
		if ks, ok := k.(lua.LString); ok {
			fn(string(ks), v)
		}
	}
}

// lazyField is what reading con[name] finds when con has no such field:
// con.resp or con.peer, built and stored in con on the first read, and
// nil for any other name or after the first read (a script set the
// field to nil then, as it can with any field). Token required.
func (c *conn) lazyField(L *lua.LState, name string) lua.LValue {
	var v lua.LValue = lua.LNil
	switch name {
	case "resp":
		if c.resp.made {
			return lua.LNil
		}
		v = c.resp.build(L, c.srv.st)
	case "peer":
		if c.peerMade {
			return lua.LNil
		}
		c.peerMade = true
		if !c.peer.IsValid() {
			return lua.LNil
		}
		v = socket.AddrPortTable(L, c.peer)
	default:
		return lua.LNil
	}
	c.con.RawSetString(name, v)
	return v
}

// assigned records that a script assigned con[name] while con had no
// such field: a con.resp or con.peer assigned before it was read replaces
// one the script never saw, which is then never built.
func (c *conn) assigned(name string) {
	switch name {
	case "resp":
		c.resp.replaced()
	case "peer":
		c.peerMade = true
	}
}

// settle builds con.resp and con.peer if no script read them while the
// handler ran: a con can outlive its handler (a script may keep it), and
// what it holds then must not depend on whether it was read before.
// Token required.
func (c *conn) settle(L *lua.LState) {
	for _, name := range [...]string{"resp", "peer"} {
		if c.con.RawGetString(name) == lua.LNil {
			c.lazyField(L, name)
		}
	}
}
