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

	// The fields while tbl is nil; major and minor stay after it is
	// built, being req's version too (the request line's).
	code         lua.LValue
	status       lua.LValue // the reason given to set_status, or nil
	headers      []respHeader
	major, minor uint8
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
// Server, Date and (with keep-alive) Keep-Alive headers. upgrade says the
// request asks for an upgrade: its 101 (upgrade, connection,
// sec-websocket-accept) is the response a WebSocket keeps for its whole
// life, so it gets room for exactly that; other responses get room for
// a few headers of their own.
func (r *response) init(st *state, srv *server, major, minor int, upgrade bool) {
	r.major, r.minor = uint8(major), uint8(minor)
	r.code = st.code200
	n := 8
	if upgrade {
		n = 6
	}
	r.headers = make([]respHeader, 0, n)
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

// compact gives the headers kept in Go a backing array of their own size
// once they are final (the head is sent), for a response a WebSocket
// keeps: a 101 that also carries sec-websocket-protocol or -extensions
// outgrew init's room.
func (r *response) compact() {
	if r.tbl == nil && cap(r.headers) > len(r.headers) {
		r.headers = append(make([]respHeader, 0, len(r.headers)), r.headers...)
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

// The fields of con, in the order settle stores them. A running handler's
// con is an empty lazyTable: its fields live in Go until a script reads
// one. Stored, con's fields cost about 0.6 KiB, and con.resp and con.peer
// are tables of their own (another 2.5 KiB), which a WebSocket handler
// would keep for the connection's whole life; lua-eco's own upgrade never
// reads them.
var conFieldNames = []string{"options", "body_remain", "resp", "peer", "sock", "formed"}

// The indices of con's fields in conFieldNames.
const (
	conOptions = iota
	conBodyRemain
	conResp
	conPeer
	conSock
	conFormed
)

// fieldNames makes conn con's fieldSource.
func (c *conn) fieldNames() []string { return conFieldNames }

// goField returns what Go holds for con field i, LNil when the field is
// absent (no peer address, no take-over yet, no read_formdata yet): sock
// and formed may come later. For con.resp it builds the table (so the
// field is stored right after). Token required.
func (c *conn) goField(L *lua.LState, i int) lua.LValue {
	switch i {
	case conResp:
		return c.resp.build(L, c.srv.st)
	case conPeer:
		if c.peer.IsValid() {
			return socket.AddrPortTable(L, c.peer)
		}
	case conOptions:
		return c.srv.options
	case conBodyRemain:
		return lua.LNumber(c.remain)
	case conSock:
		if c.sockValue != nil {
			return c.sockValue
		}
	case conFormed:
		if c.formed {
			return lua.LTrue
		}
	}
	return lua.LNil
}
