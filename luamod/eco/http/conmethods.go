package http

import (
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"path"
	"strings"
	"syscall"
	"time"

	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
)

// Register makes "eco.http.server" and "eco.http.client" available to
// require in rt.
func Register(rt *runtime.Runtime) {
	var st *state
	rt.RegisterModule("eco.http.server", func(L *lua.LState) int {
		if st == nil {
			st = newState(rt, L)
		}
		m := L.NewTable()
		m.RawSetString("listen", L.NewFunction(st.listen))
		for code, name := range statusNames {
			m.RawSetString("STATUS_"+name, lua.LNumber(code))
		}
		L.Push(m)
		return 1
	})
	rt.RegisterModule("eco.http.client", func(L *lua.LState) int {
		L.Push(clientModule(rt, L))
		return 1
	})
}

// statusNames are lua-eco's STATUS_<NAME> constants.
var statusNames = map[int]string{
	100: "CONTINUE", 101: "SWITCHING_PROTOCOLS", 102: "PROCESSING",
	200: "OK", 201: "CREATED", 202: "ACCEPTED", 203: "NON_AUTHORITATIVE_INFORMATION",
	204: "NO_CONTENT", 205: "RESET_CONTENT", 206: "PARTIAL_CONTENT", 207: "MULTI_STATUS",
	208: "ALREADY_REPORTED", 226: "IM_USED",
	300: "MULTIPLE_CHOICES", 301: "MOVED_PERMANENTLY", 302: "FOUND", 303: "SEE_OTHER",
	304: "NOT_MODIFIED", 305: "USE_PROXY", 307: "TEMPORARY_REDIRECT", 308: "PERMANENT_REDIRECT",
	400: "BAD_REQUEST", 401: "UNAUTHORIZED", 402: "PAYMENT_REQUIRED", 403: "FORBIDDEN",
	404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 406: "NOT_ACCEPTABLE",
	407: "PROXY_AUTHENTICATION_REQUIRED", 408: "REQUEST_TIMEOUT", 409: "CONFLICT", 410: "GONE",
	411: "LENGTH_REQUIRED", 412: "PRECONDITION_FAILED", 413: "PAYLOAD_TOO_LARGE",
	414: "URI_TOO_LONG", 415: "UNSUPPORTED_MEDIA_TYPE", 416: "RANGE_NOT_SATISFIABLE",
	417: "EXPECTATION_FAILED", 421: "MISDIRECTED_REQUEST", 422: "UNPROCESSABLE_ENTITY",
	423: "LOCKED", 424: "FAILED_DEPENDENCY", 426: "UPGRADE_REQUIRED",
	428: "PRECONDITION_REQUIRED", 429: "TOO_MANY_REQUESTS",
	431: "REQUEST_HEADER_FIELDS_TOO_LARGE", 451: "UNAVAILABLE_FOR_LEGAL_REASONS",
	500: "INTERNAL_SERVER_ERROR", 501: "NOT_IMPLEMENTED", 502: "BAD_GATEWAY",
	503: "SERVICE_UNAVAILABLE", 504: "GATEWAY_TIMEOUT", 505: "HTTP_VERSION_NOT_SUPPORTED",
	506: "VARIANT_ALSO_NEGOTIATES", 507: "INSUFFICIENT_STORAGE", 508: "LOOP_DETECTED",
	510: "NOT_EXTENDED", 511: "NETWORK_AUTHENTICATION_REQUIRED",
}

func pushErr(L *lua.LState, e string) int {
	L.Push(lua.LNil)
	L.Push(lua.LString(e))
	return 2
}

func optTimeout(L *lua.LState, n int) float64 {
	if v, ok := L.Get(n).(lua.LNumber); ok {
		return float64(v)
	}
	return 0
}

func (st *state) conMethods() map[string]lua.LGFunction {
	rt := st.rt
	addHeader := func(L *lua.LState, c *conn, name string, v lua.LValue) {
		c.resp.setHeader(L, strings.ToLower(name), v)
	}
	setStatus := func(L *lua.LState, c *conn, code lua.LNumber, reason lua.LValue) {
		if c.headSent {
			L.RaiseError("http head has been sent")
		}
		c.resp.setField("code", code)
		if s, ok := reason.(lua.LString); ok {
			c.resp.setField("status", s)
		}
	}
	send := func(L *lua.LState, c *conn, from int) {
		if !c.headSent {
			c.prepareHead(L)
		}
		for i := from; i <= L.GetTop(); i++ {
			c.out = append(c.out, L.ToStringMeta(L.Get(i)).String()...)
		}
	}
	sendError := func(L *lua.LState, c *conn, code lua.LValue, reason lua.LValue, content lua.LValue) {
		n, ok := code.(lua.LNumber)
		if !ok {
			L.RaiseError("invalid code: %s", L.ToStringMeta(code).String())
		}
		setStatus(L, c, n, reason)
		addHeader(L, c, "connection", lua.LString("close"))
		if content != lua.LNil {
			top := L.GetTop()
			L.Push(content)
			send(L, c, top+1)
			L.SetTop(top)
			return
		}
		addHeader(L, c, "content-length", lua.LString("0"))
		if !c.headSent {
			c.prepareHead(L)
		}
	}
	return map[string]lua.LGFunction{
		"remote_addr": func(L *lua.LState) int {
			// What reading con.peer gives.
			c := st.conOf(L)
			L.Push(c.con.get(L, c, conPeer))
			return 1
		},
		"add_header": func(L *lua.LState) int {
			c := st.conOf(L)
			if c.headSent {
				L.RaiseError("http head has been sent")
			}
			addHeader(L, c, L.CheckString(2), L.Get(3))
			return 0
		},
		"set_status": func(L *lua.LState) int {
			c := st.conOf(L)
			setStatus(L, c, L.CheckNumber(2), L.Get(3))
			L.Push(lua.LTrue)
			return 1
		},
		"send": func(L *lua.LState) int {
			send(L, st.conOf(L), 2)
			L.Push(lua.LTrue)
			return 1
		},
		"flush": func(L *lua.LState) int {
			c := st.conOf(L)
			if e := c.flush(L, rt.MustTask(L)); e != "" {
				return pushErr(L, e)
			}
			L.Push(lua.LTrue)
			return 1
		},
		"send_error": func(L *lua.LState) int {
			c := st.conOf(L)
			sendError(L, c, L.Get(2), L.Get(3), L.Get(4))
			L.Push(lua.LTrue)
			return 1
		},
		"redirect": func(L *lua.LState) int {
			c := st.conOf(L)
			code := L.CheckNumber(2)
			if code < 300 || code > 308 {
				L.RaiseError("assertion failed!")
			}
			addHeader(L, c, "location", lua.LString(L.CheckString(3)))
			sendError(L, c, code, lua.LNil, lua.LNil)
			L.Push(lua.LTrue)
			return 1
		},
		"read_body": func(L *lua.LState) int {
			c := st.conOf(L)
			n := int64(-1)
			if v, ok := L.Get(2).(lua.LNumber); ok {
				n = int64(v)
			}
			data, e := c.readBody(L, rt.MustTask(L), n, optTimeout(L, 3))
			if e != "" {
				return pushErr(L, e)
			}
			L.Push(lua.LString(data))
			return 1
		},
		"discard_body": func(L *lua.LState) int {
			c := st.conOf(L)
			if e := c.discardBody(L, rt.MustTask(L)); e != "" {
				return pushErr(L, e)
			}
			L.Push(lua.LTrue)
			return 1
		},
		"read_formdata": func(L *lua.LState) int {
			c := st.conOf(L)
			if c.form == nil {
				if c.method != http.MethodPost {
					return pushErr(L, "not allowed method")
				}
				body, ctype := c.formBody()
				_, params, err := mime.ParseMediaType(ctype)
				if err != nil || params["boundary"] == "" {
					return pushErr(L, "bad request")
				}
				c.form = &formState{mr: multipart.NewReader(body, params["boundary"])}
				c.formed = true
				c.con.publish(L, c, conFormed)
			}
			typ, a, b, found, e := c.nextFormEvent(rt.MustTask(L), optTimeout(L, 3))
			if e != "" {
				return pushErr(L, e)
			}
			L.Push(lua.LString(typ))
			switch typ {
			case "header":
				t := L.CreateTable(2, 0)
				t.RawSetInt(1, lua.LString(a))
				t.RawSetInt(2, lua.LString(b))
				L.Push(t)
				return 2
			case "body":
				t := L.CreateTable(2, 0)
				t.RawSetInt(1, lua.LString(a))
				t.RawSetInt(2, lua.LBool(found))
				L.Push(t)
				return 2
			}
			return 1
		},
		"send_file": func(L *lua.LState) int {
			c := st.conOf(L)
			count := int64(-1)
			if v, ok := L.Get(3).(lua.LNumber); ok {
				count = int64(v)
			}
			offset := int64(L.OptInt(4, 0))
			if e := c.sendFile(L, rt.MustTask(L), L.CheckString(2), count, offset); e != "" {
				return pushErr(L, e)
			}
			L.Push(lua.LTrue)
			return 1
		},
		"serve_file": func(L *lua.LState) int {
			c := st.conOf(L)
			req := L.CheckTable(2)
			if e := c.serveFile(L, rt.MustTask(L), req, sendError); e != "" {
				return pushErr(L, e)
			}
			L.Push(lua.LTrue)
			return 1
		},
	}
}

// contentTypes maps file suffixes to content types for serve_file.
var contentTypes = map[string]string{
	"html": "text/html", "htm": "text/html", "css": "text/css", "js": "application/javascript",
	"json": "application/json", "txt": "text/plain", "xml": "text/xml", "svg": "image/svg+xml",
	"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
	"ico": "image/x-icon", "wasm": "application/wasm", "pdf": "application/pdf",
	"gz": "application/x-gzip", "mp4": "video/mp4", "woff": "font/woff", "woff2": "font/woff2",
}

// serveFile implements con:serve_file(req) after lua-eco's rules.
func (c *conn) serveFile(L *lua.LState, t *runtime.Task, req *lua.LTable,
	sendError func(*lua.LState, *conn, lua.LValue, lua.LValue, lua.LValue)) string {
	errorReply := func(code int) string {
		sendError(L, c, lua.LNumber(code), lua.LNil, lua.LNil)
		return ""
	}
	p := L.ToStringMeta(c.srv.st.reqField(L, req, reqPath)).String()
	var segs []string
	for _, s := range strings.Split(p, "/") {
		switch s {
		case "", ".":
		case "..":
			if len(segs) == 0 {
				return errorReply(http.StatusForbidden)
			}
			segs = segs[:len(segs)-1]
		default:
			segs = append(segs, s)
		}
	}
	rel := "/" + strings.Join(segs, "/")
	if rel == "/" {
		rel = "/" + L.ToStringMeta(c.srv.options.RawGetString("index")).String()
	}
	method := c.method
	if method != http.MethodGet && method != http.MethodHead {
		return errorReply(http.StatusMethodNotAllowed)
	}
	docroot := L.ToStringMeta(c.srv.options.RawGetString("docroot")).String()
	file := docroot + rel
	if docroot == "/" {
		file = rel
	}
	gz := false
	if lua.LVAsBool(c.srv.options.RawGetString("gzip")) {
		if fi, err := os.Stat(file + ".gz"); err == nil && fi.Mode().IsRegular() {
			gz = true
		}
	}
	served := file
	if gz {
		served += ".gz"
	}
	fi, err := os.Stat(served)
	switch {
	case os.IsNotExist(err):
		return errorReply(http.StatusNotFound)
	case err != nil:
		sendError(L, c, lua.LNumber(500), lua.LNil, lua.LString(err.Error()))
		return ""
	case !fi.Mode().IsRegular():
		return errorReply(http.StatusForbidden)
	}
	if f, err := os.Open(served); err != nil {
		return errorReply(http.StatusForbidden)
	} else {
		f.Close()
	}
	var ino uint64
	if sys, ok := fi.Sys().(*syscall.Stat_t); ok {
		ino = sys.Ino
	}
	etag := fmt.Sprintf("%x-%x", ino, fi.Size())
	lastMod := fi.ModTime().Format(time.RFC1123)
	hdrs, _ := c.srv.st.reqField(L, req, reqHeaders).(*lua.LTable)
	hdr := func(k string) string {
		if hdrs == nil {
			return ""
		}
		if v, ok := hdrs.RawGetString(k).(lua.LString); ok {
			return string(v)
		}
		return ""
	}
	set := func(k, v string) {
		c.resp.setHeader(L, k, lua.LString(v))
	}
	notModified := hdr("if-none-match") == etag
	if ims := hdr("if-modified-since"); !notModified && ims != "" {
		if tm, err := http.ParseTime(ims); err == nil && !tm.Before(fi.ModTime().Truncate(time.Second)) {
			notModified = true
		}
	}
	set("etag", etag)
	set("last-modified", lastMod)
	if notModified {
		c.resp.setField("code", lua.LNumber(304))
		return ""
	}
	ext := path.Ext(file)
	ctype, ok := contentTypes[strings.TrimPrefix(ext, ".")]
	if !ok {
		ctype = "application/octet-stream"
	}
	set("content-type", ctype)
	set("content-length", fmt.Sprint(fi.Size()))
	if gz {
		set("content-encoding", "gzip")
	}
	if method == http.MethodHead {
		return ""
	}
	return c.sendFile(L, t, served, fi.Size(), 0)
}
