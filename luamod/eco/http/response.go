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
// about 2 KiB per connection. So the response is kept in Go until a script
// reads con.resp (see the con fields below); from then on the table is the
// only record, since the script may change it. Every Go reader and writer
// of the response goes through the methods below, which use the table once
// it exists.
type response struct {
	tbl *lua.LTable // con.resp once built; nil before

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

// The fields of con. A running handler's con is an empty table: its fields
// live in Go and are stored in the table when a script first reads one
// (the con metatable's __index, state.index, calls lazyField) or assigns
// one, and all of them when the handler ends (settle). Stored con fields
// cost a Go map, a key slice, a key-index map and a boxed key each, about
// 0.6 KiB per con, and con.resp and con.peer are tables of their own
// (another 2.5 KiB): a WebSocket handler keeps its con for the
// connection's whole life, and lua-eco's own upgrade never reads its
// fields. Once stored (conn.made), a field is the table's: Go writes it
// there too, as before.
const (
	fieldResp uint8 = 1 << iota
	fieldPeer
	fieldOptions
	fieldBodyRemain
	fieldSock
	fieldFormed
)

// conField returns the bit of a con field's name, 0 for any other name.
func conField(name string) uint8 {
	switch name {
	case "resp":
		return fieldResp
	case "peer":
		return fieldPeer
	case "options":
		return fieldOptions
	case "body_remain":
		return fieldBodyRemain
	case "sock":
		return fieldSock
	case "formed":
		return fieldFormed
	}
	return 0
}

// goField returns what Go holds for con field f, nil when the field is
// absent (no peer address, no take-over yet, no read_formdata yet). For
// con.resp it builds the table (so f is stored right after). Token
// required.
func (c *conn) goField(L *lua.LState, f uint8) lua.LValue {
	switch f {
	case fieldResp:
		return c.resp.build(L, c.srv.st)
	case fieldPeer:
		if c.peer.IsValid() {
			return socket.AddrPortTable(L, c.peer)
		}
	case fieldOptions:
		return c.srv.options
	case fieldBodyRemain:
		return lua.LNumber(c.remain)
	case fieldSock:
		if c.sockValue != nil {
			return c.sockValue
		}
	case fieldFormed:
		if c.formed {
			return lua.LTrue
		}
	}
	return lua.LNil
}

// lazyField is what reading con[name] finds when the table has no such
// field: a con field not stored yet is stored and returned; a stored one
// is absent (a script set it to nil), as is any other name. Token
// required.
func (c *conn) lazyField(L *lua.LState, name string) lua.LValue {
	f := conField(name)
	if f == 0 || c.made&f != 0 {
		return lua.LNil
	}
	v := c.goField(L, f)
	if v == lua.LNil {
		// Not there yet (sock, formed): it may come later.
		return lua.LNil
	}
	c.made |= f
	c.con.RawSetString(name, v)
	return v
}

// publish writes con field f, changed in Go, to the table if the field is
// stored there: a script that has read it sees the change, as it did when
// every field was stored from the start.
func (c *conn) publish(L *lua.LState, name string) {
	if f := conField(name); c.made&f != 0 {
		c.con.RawSetString(name, c.goField(L, f))
	}
}

// assigned records that a script assigned con[name] while the table had
// no such field: a con field assigned before it was read is the table's
// from then on. It is never built from Go's record (con.resp's record
// stays Go's), and Go's later writes (body_remain, sock, formed) store
// into it, as they did when every field was stored from the start.
func (c *conn) assigned(name string) {
	f := conField(name)
	if f == 0 || c.made&f != 0 {
		return
	}
	c.made |= f
}

// unread reports whether con field name is still Go's alone: no script
// read or assigned it, so Go may answer for it without storing it.
func (c *conn) unread(name string) bool {
	return c.made&conField(name) == 0 && c.con.RawGetString(name) == lua.LNil
}

// settle stores every con field no script read while the handler ran: a
// con can outlive its handler (a script may keep it), and what it holds
// then must not depend on what was read before. Token required.
func (c *conn) settle(L *lua.LState) {
	for _, name := range [...]string{"options", "body_remain", "resp", "peer", "sock", "formed"} {
		if c.con.RawGetString(name) == lua.LNil {
			c.lazyField(L, name)
		}
	}
}
