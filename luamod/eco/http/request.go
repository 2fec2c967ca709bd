package http

import (
	"net/http"
	"strings"

	luahttp "github.com/golua-ws/golua-ws/luamod/http"
	"github.com/golua-ws/golua-ws/luamod/internal/headername"
	lua "github.com/yuin/gopher-lua"
)

// request is the Go side of a handler's req, a lazyTable like con: its
// fields are built from a few strings on their first read. lua-eco's
// upgrade-and-loop handler reads req.headers (and eco.websocket's upgrade
// the versions), and the nine fields stored cost a WebSocket connection
// about 2.7 KiB: nine keys outgrow the one-group maps Go gives eight, and
// query and form are tables of their own.
//
// req's metatable is protected (getmetatable(req) is false, as falsy as
// lua-eco's nil): a script's setmetatable(req, mt) would otherwise drop
// the fields not read yet without a word. When the handler ends the
// fields are settled and the metatable removed, so a req kept past its
// handler is the plain table lua-eco's is.
//
// The method and the HTTP version are conn's (method, and resp's, which
// come from the same request line); reqFields is conn as req's
// fieldSource.
type request struct {
	lazyTable
	// uri is the request target as sent (raw_path; query_string is what
	// follows its '?'); path is its part before the '?', %XX-unescaped
	// when it holds a '%'.
	uri, path string
	// headers holds req.headers' names (lower case) and values in turn
	// once the connection has been taken over with req.headers unread:
	// until then they are built from net/http's request, which the
	// take-over drops (see conn.dropHTTPState).
	headers []string
}

// The fields of req, in the order lua-eco builds them and settle stores
// them.
var reqFieldNames = []string{
	"method", "raw_path", "path", "major_version", "minor_version",
	"headers", "query_string", "query", "form",
}

// The indices of req's fields in reqFieldNames.
const (
	reqMethod = iota
	reqRawPath
	reqPath
	reqMajor
	reqMinor
	reqHeaders
	reqQueryString
	reqQuery
	reqForm
)

// reqFields is a conn as the fieldSource of its req.
type reqFields conn

func (f *reqFields) fieldNames() []string { return reqFieldNames }

// init records r's fields, for the table tbl.
func (q *request) init(r *http.Request, tbl *lua.LTable) {
	q.tbl = tbl
	q.uri = r.RequestURI
	rawPath, _, _ := strings.Cut(r.RequestURI, "?")
	q.path = rawPath
	if strings.Contains(rawPath, "%") {
		q.path = r.URL.Path
	}
}

// goField builds req field i. Token required.
func (f *reqFields) goField(L *lua.LState, i int) lua.LValue {
	c := (*conn)(f)
	q := &c.req
	st := c.srv.st
	switch i {
	case reqMethod:
		return lua.LString(c.method)
	case reqRawPath:
		return lua.LString(q.uri)
	case reqPath:
		return lua.LString(q.path)
	case reqMajor:
		return st.number(int(c.resp.major))
	case reqMinor:
		return st.number(int(c.resp.minor))
	case reqHeaders:
		return c.headersTable(L)
	case reqQueryString:
		_, query, _ := strings.Cut(q.uri, "?")
		return lua.LString(query)
	case reqQuery:
		_, query, _ := strings.Cut(q.uri, "?")
		return queryTable(L, query)
	case reqForm:
		return L.CreateTable(0, 0)
	}
	return lua.LNil
}

// headersTable builds req.headers: lower-case names, each with its last
// value, Host and Transfer-Encoding included, sized exactly (a table of
// up to eight keys keeps one-group maps).
func (c *conn) headersTable(L *lua.LState) *lua.LTable {
	q := &c.req
	st := c.srv.st
	if r := c.r; r != nil {
		t := L.CreateTable(0, headerCount(r))
		eachHeader(r, func(name, value string) { t.RawSetString(name, st.headerValue(name, value)) })
		return t
	}
	t := L.CreateTable(0, len(q.headers)/2)
	for i := 0; i+1 < len(q.headers); i += 2 {
		t.RawSetString(q.headers[i], st.headerValue(q.headers[i], q.headers[i+1]))
	}
	q.headers = nil
	return t
}

// keepHeaders copies req.headers out of r before the take-over drops it,
// when no script has read req.headers yet.
func (c *conn) keepHeaders(r *http.Request) {
	q := &c.req
	if !q.unread(c.reqSource(), reqHeaders) {
		return
	}
	q.headers = make([]string, 0, 2*headerCount(r))
	eachHeader(r, func(name, value string) { q.headers = append(q.headers, name, value) })
}

// Request headers whose values repeat from one request to the next: a
// WebSocket client sends the same Host, Upgrade, Connection and
// Sec-WebSocket-Version every time, and a WebSocket handler keeps its
// req.headers for the connection's whole life. Their slots in
// state.lastHeader.
const (
	sharedHost = iota
	sharedUpgrade
	sharedConnection
	sharedWSVersion
	sharedWSExtensions
	sharedOrigin
	sharedUserAgent
	sharedHeaders
)

// sharedHeader returns the slot of header name (lower case) in
// state.lastHeader, -1 for a header whose values are not shared.
func sharedHeader(name string) int {
	switch name {
	case "host":
		return sharedHost
	case "upgrade":
		return sharedUpgrade
	case "connection":
		return sharedConnection
	case "sec-websocket-version":
		return sharedWSVersion
	case "sec-websocket-extensions":
		return sharedWSExtensions
	case "origin":
		return sharedOrigin
	case "user-agent":
		return sharedUserAgent
	}
	return -1
}

// headerValue returns value, header name's, as a Lua value: the one boxed
// for the last request when that sent the same value for the same header
// (see sharedHeader). A table holding it then keeps neither a box nor a
// string of its own; boxed strings are immutable, so sharing is invisible
// to Lua. Token required.
func (st *state) headerValue(name, value string) lua.LValue {
	i := sharedHeader(name)
	if i < 0 {
		return lua.LString(value)
	}
	if v, ok := st.lastHeader[i].(lua.LString); ok && string(v) == value {
		return st.lastHeader[i]
	}
	v := lua.LValue(lua.LString(value))
	st.lastHeader[i] = v
	return v
}

// headerCount returns the number of fields req.headers has for r.
func headerCount(r *http.Request) int {
	n := 0
	for _, vs := range r.Header {
		if len(vs) > 0 {
			n++
		}
	}
	if r.Host != "" {
		n++
	}
	if len(r.TransferEncoding) > 0 {
		n++
	}
	return n
}

// eachHeader calls fn with each of req.headers' fields for r, as lua-eco
// reads them: the name in lower case, the last value of a repeated header,
// Host and Transfer-Encoding (which net/http keeps out of r.Header).
func eachHeader(r *http.Request, fn func(name, value string)) {
	for k, vs := range r.Header {
		if len(vs) > 0 {
			fn(headername.Lower(k), vs[len(vs)-1])
		}
	}
	if r.Host != "" {
		fn("host", r.Host)
	}
	if len(r.TransferEncoding) > 0 {
		fn("transfer-encoding", strings.Join(r.TransferEncoding, ", "))
	}
}

// queryTable builds req.query from the query string: name=value pairs
// split on '&', values %XX-unescaped ('+' kept), pairs without '=' or
// with an empty name dropped, the last of a repeated name kept. It is
// sized for the pairs kept, which is exact unless a name repeats.
func queryTable(L *lua.LState, rawQuery string) *lua.LTable {
	n := 0
	for rest := rawQuery; rest != ""; {
		var kv string
		kv, rest, _ = strings.Cut(rest, "&")
		if name, _, ok := strings.Cut(kv, "="); ok && name != "" {
			n++
		}
	}
	query := L.CreateTable(0, n)
	for rest := rawQuery; rest != ""; {
		var kv string
		kv, rest, _ = strings.Cut(rest, "&")
		name, value, ok := strings.Cut(kv, "=")
		if !ok || name == "" {
			continue
		}
		value, _ = luahttp.Unescape(value)
		query.RawSetString(name, lua.LString(value))
	}
	return query
}

// reqIndex is req's metatable's __index: the fields still in Go.
func (st *state) reqIndex(L *lua.LState) int {
	var v lua.LValue = lua.LNil
	if name, ok := L.Get(2).(lua.LString); ok {
		if c := st.reqs[L.CheckTable(1)]; c != nil {
			v = c.req.index(L, c.reqSource(), string(name))
		}
	}
	L.Push(v)
	return 1
}

// reqNewindex is req's metatable's __newindex: a plain assignment, which
// also makes a field not stored yet the script's.
func (st *state) reqNewindex(L *lua.LState) int {
	t := L.CheckTable(1)
	if name, ok := L.Get(2).(lua.LString); ok {
		if c := st.reqs[t]; c != nil {
			c.req.assigned(c.reqSource(), string(name))
			if name == "headers" {
				// The script's own: what Go kept of the headers
				// will not be read.
				c.req.headers = nil
			}
		}
	}
	L.RawSet(t, L.Get(2), L.Get(3))
	return 0
}

// reqField returns what reading req[name] gives: for the req of a running
// handler, the field stored on its first read as a script's read would;
// for any other table (con:serve_file accepts one) the field as stored.
// Token required.
func (st *state) reqField(L *lua.LState, req *lua.LTable, i int) lua.LValue {
	if c := st.reqs[req]; c != nil {
		return c.req.get(L, c.reqSource(), i)
	}
	return L.GetField(req, reqFieldNames[i])
}

// reqSource returns c as its req's fieldSource.
func (c *conn) reqSource() fieldSource { return (*reqFields)(c) }
