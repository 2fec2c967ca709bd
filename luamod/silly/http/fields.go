package sillyhttp

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/golua-ws/golua-ws/luamod/internal/headername"
	lua "github.com/yuin/gopher-lua"
)

// A server stream's data fields (method, path, query, header, trailer,
// version, remoteaddr, scheme, keepalive) are not kept in a Lua table: they
// are made from the request when a script first reads them. After a
// WebSocket upgrade the stream lives as long as the connection (sock.stream),
// so every table built up front — the trailer table alone is 1.5 KiB in
// gopher-lua — would be paid by every idle connection. Scripts see the same
// values: tables are built once and then the same table is returned every
// time; assignments (including nil) win over the built-in value, as they did
// when the fields lived in a table.

// builtinField numbers the stream's data fields.
type builtinField uint8

const (
	fieldMethod builtinField = iota
	fieldPath
	fieldQuery
	fieldHeader
	fieldTrailer
	fieldVersion
	fieldRemoteAddr
	fieldScheme
	fieldKeepalive
	numFields
)

// builtinFieldOf returns the field named k, or numFields when k is not one.
func builtinFieldOf(k string) builtinField {
	switch k {
	case "method":
		return fieldMethod
	case "path":
		return fieldPath
	case "query":
		return fieldQuery
	case "header":
		return fieldHeader
	case "trailer":
		return fieldTrailer
	case "version":
		return fieldVersion
	case "remoteaddr":
		return fieldRemoteAddr
	case "scheme":
		return fieldScheme
	case "keepalive":
		return fieldKeepalive
	}
	return numFields
}

// streamFields holds what the fields are made from and what scripts did
// to them. It is kept small: it lives as long as a WebSocket does.
type streamFields struct {
	method, target, remoteAddr string

	// src is what the header table is made from (Header, Host,
	// TransferEncoding); nil once it is built.
	src *http.Request

	query, header, trailer *lua.LTable // built on first read

	// assigned holds every value a script stored in the stream (any key);
	// cleared marks the built-in fields a script set to nil.
	assigned *lua.LTable
	cleared  uint16

	major, minor uint8 // the request's HTTP version
	https        bool  // stream.scheme is "https"
}

// newStreamFields takes what the fields need from r.
func newStreamFields(r *http.Request, scheme string) streamFields {
	target := r.RequestURI
	if r.ProtoMajor == 2 || target == "" {
		target = r.URL.RequestURI()
	}
	return streamFields{
		method:     r.Method,
		target:     target,
		remoteAddr: r.RemoteAddr,
		src:        r,
		// net/http parses only single-digit versions.
		major: uint8(r.ProtoMajor),
		minor: uint8(r.ProtoMinor),
		https: scheme == "https",
	}
}

// takeOver lets go of the request once the connection has been taken
// over, keeping only what the header table is still to be made from.
func (f *streamFields) takeOver() {
	if r := f.src; r != nil {
		f.src = &http.Request{Header: r.Header, Host: r.Host, TransferEncoding: r.TransferEncoding}
	}
}

// version is stream.version: the digits of the request line ("1.1"), or
// "HTTP/2".
func (f *streamFields) version() string {
	switch {
	case f.major == 2:
		return "HTTP/2"
	case f.major == 1 && f.minor == 1:
		return "1.1"
	case f.major == 1 && f.minor == 0:
		return "1.0"
	}
	return strconv.Itoa(int(f.major)) + "." + strconv.Itoa(int(f.minor))
}

// scheme is stream.scheme.
func (f *streamFields) scheme() string {
	if f.https {
		return "https"
	}
	return "http"
}

// get returns the field k as a script sees it and whether the stream has
// it (a field set to nil, or a key that is neither built in nor assigned,
// is absent).
func (f *streamFields) get(L *lua.LState, k lua.LValue) (lua.LValue, bool) {
	if f.assigned != nil {
		if v := f.assigned.RawGet(k); v != lua.LNil {
			return v, true
		}
	}
	ks, ok := k.(lua.LString)
	if !ok {
		return lua.LNil, false
	}
	i := builtinFieldOf(string(ks))
	if i == numFields || f.cleared&(1<<i) != 0 {
		return lua.LNil, false
	}
	return f.builtin(L, i), true
}

// builtin returns the built-in value of field i, building it if needed.
func (f *streamFields) builtin(L *lua.LState, i builtinField) lua.LValue {
	switch i {
	case fieldMethod:
		return lua.LString(f.method)
	case fieldPath:
		return lua.LString(targetPath(f.target))
	case fieldQuery:
		if f.query == nil {
			_, q := parseTarget(f.target)
			f.query = L.CreateTable(0, len(q))
			for k, v := range q {
				f.query.RawSetString(k, lua.LString(v))
			}
		}
		return f.query
	case fieldHeader:
		if f.header == nil {
			f.header = headerTable(L, f.src.Header, f.src.Host, f.src.TransferEncoding)
			f.src = nil
		}
		return f.header
	case fieldTrailer:
		if f.trailer == nil {
			// silly's trailer is a Lua {}: sized like one.
			f.trailer = L.CreateTable(0, 0)
		}
		return f.trailer
	case fieldVersion:
		return lua.LString(f.version())
	case fieldRemoteAddr:
		return lua.LString(f.remoteAddr)
	case fieldScheme:
		return lua.LString(f.scheme())
	case fieldKeepalive:
		return lua.LTrue
	}
	return lua.LNil
}

// set stores stream[k] = v.
func (f *streamFields) set(L *lua.LState, k, v lua.LValue) {
	if ks, ok := k.(lua.LString); ok {
		if i := builtinFieldOf(string(ks)); i != numFields {
			if v == lua.LNil {
				f.cleared |= 1 << i
			} else {
				f.cleared &^= 1 << i
			}
		}
	}
	if f.assigned == nil {
		if v == lua.LNil {
			return
		}
		f.assigned = L.CreateTable(0, 1)
	}
	f.assigned.RawSet(k, v)
}

// headerTable converts request or response headers to silly's form:
// lowercase names, a string per header or an array for repeated ones.
func headerTable(L *lua.LState, h http.Header, host string, te []string) *lua.LTable {
	t := L.CreateTable(0, len(h)+1)
	for k, vs := range h {
		name := headername.Lower(k)
		if len(vs) == 1 {
			t.RawSetString(name, headerValue(vs[0]))
		} else {
			arr := L.CreateTable(len(vs), 0)
			for _, v := range vs {
				arr.Append(lua.LString(v))
			}
			t.RawSetString(name, arr)
		}
	}
	if host != "" {
		t.RawSetString("host", lua.LString(host))
	}
	if len(te) > 0 {
		t.RawSetString("transfer-encoding", lua.LString(strings.Join(te, ", ")))
		t.RawSetString("content-length", lua.LNil)
	}
	return t
}

// headerValue boxes a header value for Lua. The values every WebSocket
// handshake carries are boxed constants: the header tables of idle
// connections then share them instead of each holding its own box and
// string.
func headerValue(v string) lua.LValue {
	switch v {
	case "websocket":
		return lua.LString("websocket")
	case "Upgrade":
		return lua.LString("Upgrade")
	case "upgrade":
		return lua.LString("upgrade")
	case "13":
		return lua.LString("13")
	case "keep-alive, Upgrade":
		return lua.LString("keep-alive, Upgrade")
	case "no-cache":
		return lua.LString("no-cache")
	case "permessage-deflate; client_max_window_bits":
		return lua.LString("permessage-deflate; client_max_window_bits")
	}
	return lua.LString(v)
}
