package sillyhttp

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	luahttp "github.com/golua-ws/golua-ws/luamod/http"
	sillynet "github.com/golua-ws/golua-ws/luamod/silly/net"
	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
)

// Register makes "silly.net.http", "silly.net.http.client" and
// "silly.net.http.helper" available to require in rt.
func Register(rt *runtime.Runtime) {
	rt.RegisterModule("silly.net.http", func(L *lua.LState) int {
		mod := L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
			"listen": func(L *lua.LState) int { return listen(L, rt) },
		})
		// As in silly, http's clients come from silly.net.http.client as
		// package.loaded has it, with the resolver that module captured.
		newClient := L.GetField(requireModule(L, "silly.net.http.client"), "new")
		L.Push(newClient)
		L.Call(0, 1)
		def := L.Get(-1)
		L.Pop(1)
		for _, name := range []string{"get", "post", "request"} {
			fn := clientMethods[name]
			mod.RawSetString(name, L.NewFunction(func(L *lua.LState) int {
				// http.get(url, ...) is the default client's get.
				L.Insert(def, 1)
				return fn(L)
			}))
		}
		mod.RawSetString("newclient", L.NewFunction(func(L *lua.LState) int {
			opts := L.Get(1)
			L.Push(newClient)
			L.Push(opts)
			L.Call(1, 1)
			return 1
		}))
		L.Push(mod)
		return 1
	})
	rt.RegisterModule("silly.net.http.client", func(L *lua.LState) int {
		dns := RequireResolver(L)
		mod := L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
			"new": func(L *lua.LState) int {
				L.Push(newClientObject(L, rt, dns, L.OptTable(1, nil)))
				return 1
			},
		})
		// client.request(c, method, url, header) and the others take the
		// client first, so the methods serve as they are.
		for _, name := range []string{"get", "post", "request"} {
			mod.RawSetString(name, L.NewFunction(clientMethods[name]))
		}
		L.Push(mod)
		return 1
	})
	rt.RegisterModule("silly.net.http.helper", func(L *lua.LState) int {
		L.Push(helperModule(L))
		return 1
	})
}

type netConnKey struct{}

// server is one http.listen: the Lua handler and its scheme.
type server struct {
	rt      *runtime.Runtime
	handler *lua.LFunction
	scheme  string
}

// listen implements http.listen{addr, handler, tls?, certs?, alpnprotos?}.
func listen(L *lua.LState, rt *runtime.Runtime) int {
	conf := L.CheckTable(1)
	addr := lua.LVAsString(conf.RawGetString("addr"))
	handler, _ := conf.RawGetString("handler").(*lua.LFunction)
	if handler == nil {
		L.RaiseError("http.listen: handler must be a function")
	}
	certs, _ := conf.RawGetString("certs").(*lua.LTable)
	// silly listens with TLS only when conf.tls is set; the seed's WSS
	// example passes certs without it, so certs alone also mean TLS unless
	// tls is explicitly false.
	tlsv := conf.RawGetString("tls")
	useTLS := lua.LVAsBool(tlsv) || (tlsv == lua.LNil && certs != nil && certs.Len() > 0)
	srv := &server{rt: rt, handler: handler, scheme: "http"}
	var tc *tls.Config
	var reload func([]tls.Certificate)
	alpn := sillynet.StringList(conf.RawGetString("alpnprotos"))
	if useTLS {
		if certs == nil || certs.Len() == 0 {
			L.RaiseError("http.listen: tls needs certs")
		}
		var err error
		tc, reload, err = sillynet.TLSServerConfig(certs, alpn)
		if err != nil {
			L.RaiseError("http.listen: %s", err.Error())
		}
		if len(tc.NextProtos) == 0 {
			tc.NextProtos = []string{"http/1.1"}
		}
		srv.scheme = "https"
	}
	ln, release, e := sillynet.Listen(rt, addr)
	if e != "" {
		L.Push(lua.LNil)
		L.Push(lua.LString(e))
		return 2
	}
	l := sillynet.NewListener(ln, release, reload)
	cfg := luahttp.Config{
		Handler:           srv,
		ReadHeaderTimeout: time.Minute,
		ConnContext: func(ctx context.Context, c net.Conn) context.Context {
			return context.WithValue(ctx, netConnKey{}, c)
		},
		FrontDoor: true,
	}
	var protos http.Protocols
	protos.SetHTTP1(true)
	if tc != nil {
		for _, p := range tc.NextProtos {
			if p == "h2" {
				protos.SetHTTP2(true)
			}
		}
		cfg.TLS = tc
	}
	cfg.Protocols = &protos
	hs := luahttp.New(rt, ln, cfg)
	ud := sillynet.PushListener(L, rt, l)
	go func() {
		_ = hs.Serve()
		l.Close()
	}()
	L.Push(ud)
	return 1
}

// ServeHTTP runs the Lua handler for one request as its own task and waits
// for it, or until the handler has hijacked the connection.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.ProtoMajor == 1 && !sillyMethod(r.Method) {
		// silly's h1 server answers a method outside its list with a bare
		// 405 and closes the connection; the handler never sees it.
		w.Header().Set("Connection", "close")
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	done := make(chan error, 1)
	st := &ServerStream{rt: s.rt, w: w, r: r, fields: newStreamFields(r, s.scheme), done: done}
	st.nc, _ = r.Context().Value(netConnKey{}).(net.Conn)
	if r.ContentLength != 0 || len(r.TransferEncoding) != 0 {
		st.body = &bodyReader{body: r.Body, setDeadline: http.NewResponseController(w).SetReadDeadline, sized: r.ContentLength >= 0}
	}
	handler := s.handler
	// The task outlives this call when the handler upgrades to a WebSocket:
	// its closure holds only the stream and the handler.
	// A StartLua task: a WebSocket the handler upgrades to can park its
	// idle reads without a goroutine.
	task := s.rt.StartLua("http handler", runtime.Queued|runtime.ReuseThread, runtime.LuaBody{
		Setup: func(t *runtime.Task) (*lua.LFunction, []lua.LValue) {
			return handler, []lua.LValue{st.push(t.L)}
		},
		Finish: func(t *runtime.Task, _ []lua.LValue, err error) error {
			result := err
			if err == nil && !st.hijacked {
				if st.connClosed() {
					// The script dropped the connection (stream.conn:close()):
					// the response stays unfinished, as the peer sees it in
					// silly, instead of net/http completing it.
					result = errConnDropped
				} else {
					st.closeWrite(t, "", nil)
				}
			}
			st.ended = true
			if !st.hijacked {
				st.done <- result
			}
			return err
		},
	})
	if task == nil {
		panic(http.ErrAbortHandler)
	}
	select {
	case err := <-done:
		if err == errHijacked {
			return
		}
		if err != nil {
			// silly logs the error (the runtime did) and closes the
			// connection without a 500.
			panic(http.ErrAbortHandler)
		}
	case <-s.rt.Done():
		// The task may still be writing the response; returning now would
		// let net/http flush the same buffer. Wait for it to end (the
		// runtime's exit ends it at its next block), bounded in case it
		// never blocks again.
		timer := time.NewTimer(s.rt.ShutdownTimeout())
		defer timer.Stop()
		select {
		case <-done:
		case <-task.Done():
		case <-timer.C:
		}
		panic(http.ErrAbortHandler)
	}
}

// errHijacked tells ServeHTTP that the handler took the connection over.
var errHijacked = errors.New("connection taken over")

// errConnDropped tells ServeHTTP that the handler closed stream.conn.
var errConnDropped = errors.New("connection closed by the handler")

// sillyMethod reports whether silly's h1 server accepts method (h1.lua's
// valid_methods; PATCH and TRACE are not in it).
func sillyMethod(method string) bool {
	switch method {
	case "GET", "POST", "PUT", "DELETE", "OPTIONS", "HEAD", "CONNECT":
		return true
	}
	return false
}

// ServerStream is the Go side of silly's server stream. It is used by the
// handler's task (and tasks it hands the stream to) while the net/http
// goroutine waits, so the ResponseWriter is never used concurrently.
//
// After a take-over the stream lives as long as the WebSocket (sock.stream),
// so it keeps only what a script can still reach: net/http's request and
// writer, the body and the channel to ServeHTTP are dropped.
type ServerStream struct {
	rt      *runtime.Runtime
	w       http.ResponseWriter // nil after a take-over
	r       *http.Request       // nil after a take-over
	nc      net.Conn
	fields  streamFields
	connUD  *lua.LUserData
	connObj *sillynet.Conn // behind connUD
	body    *bodyReader    // nil: the request has no body
	done    chan<- error   // to ServeHTTP: the handler's end or errHijacked
	header  *lua.LTable    // the response headers (respond)
	limit   int64          // declared content-length, -1 when none
	err     string

	written     int64
	status      int32
	responded   bool
	headerSent  bool
	noBody      bool
	writeClosed bool
	ended       bool
	hijacked    bool
}

// errString is stream.err: the cached transport or body error.
func (st *ServerStream) errString() string {
	if st.err != "" || st.body == nil {
		return st.err
	}
	return st.body.err
}

// Request returns the stream's request. After a take-over it is a stand-in
// with the method, target, host and peer address and an empty body.
func (st *ServerStream) Request() *http.Request {
	if st.r != nil {
		return st.r
	}
	f := &st.fields
	u, err := url.ParseRequestURI(f.target)
	if err != nil {
		u = &url.URL{Path: targetPath(f.target)}
	}
	return &http.Request{
		Method:     f.method,
		URL:        u,
		Proto:      "HTTP/" + strconv.Itoa(int(f.major)) + "." + strconv.Itoa(int(f.minor)),
		ProtoMajor: int(f.major),
		ProtoMinor: int(f.minor),
		Header:     http.Header{},
		Body:       http.NoBody,
		RemoteAddr: f.remoteAddr,
		RequestURI: f.target,
	}
}

// ResponseWriter returns the stream's response writer; after a take-over,
// one that refuses output.
func (st *ServerStream) ResponseWriter() http.ResponseWriter {
	if st.w == nil {
		return luahttp.NewTakenOverWriter()
	}
	return st.w
}

// Usable reports whether the response has not been started or finished,
// so that the connection can still be upgraded.
func (st *ServerStream) Usable() bool { return !st.ended && !st.headerSent && !st.hijacked }

// Hijacked records that the connection was taken over (websocket.upgrade):
// the net/http goroutine returns and the stream's methods stop working.
func (st *ServerStream) Hijacked() {
	if !st.hijacked {
		st.hijacked = true
		st.writeClosed = true
		// The stream lives as long as the WebSocket (sock.stream): let go
		// of net/http's per-connection objects. The body reader's deadline
		// setter holds the original ResponseWriter and, through it,
		// net/http's connection and its buffers.
		st.r, st.w = nil, nil
		st.fields.takeOver()
		if st.body != nil {
			st.body.setDeadline = nil
			if st.body.body != nil {
				st.body.body = takenOverBody{}
			}
		}
		select {
		case st.done <- errHijacked:
		default:
		}
		st.done = nil
	}
}

// HeaderSent records that the response was written by someone else
// (a failed wscore.Accept answers the request itself).
func (st *ServerStream) HeaderSent() { st.headerSent, st.writeClosed = true, true }

// Field returns stream[name] for a data field (header, method, ...) as a
// script reads it: the value the script assigned, if any, else the built-in
// one, nil for a field the script cleared or that does not exist.
func (st *ServerStream) Field(L *lua.LState, name string) lua.LValue {
	v, _ := st.fields.get(L, lua.LString(name))
	return v
}

// Respond is stream:respond(status, header) for Go callers.
func (st *ServerStream) Respond(status int, header *lua.LTable) {
	st.responded, st.status, st.header = true, int32(status), header
}

const streamTypeName = "silly.net.http.stream"

// CheckServerStream returns the server stream at index n or raises.
func CheckServerStream(L *lua.LState, n int) *ServerStream {
	ud := L.CheckUserData(n)
	if st, ok := ud.Value.(*ServerStream); ok {
		return st
	}
	L.ArgError(n, "http server stream expected")
	return nil
}

func (st *ServerStream) push(L *lua.LState) *lua.LUserData {
	ud := L.NewUserData()
	ud.Value = st
	L.SetMetatable(ud, streamMeta(L))
	return ud
}

func streamMeta(L *lua.LState) *lua.LTable {
	if mt, ok := L.GetTypeMetatable(streamTypeName).(*lua.LTable); ok {
		return mt
	}
	mt := L.NewTypeMetatable(streamTypeName)
	methods := L.SetFuncs(L.NewTable(), serverMethods)
	L.SetField(mt, "__index", L.NewFunction(func(L *lua.LState) int {
		st := CheckServerStream(L, 1)
		key := L.Get(2)
		if v, ok := st.fields.get(L, key); ok {
			L.Push(v)
			return 1
		}
		if ks, ok := key.(lua.LString); ok {
			if ks == "conn" {
				if st.headerSent && !st.writeClosed && !st.hijacked && !st.ended && st.err == "" {
					// What the stream wrote goes out before anything the
					// script does with the raw connection (silly's stream
					// writes are never buffered).
					st.flush(st.rt.MustTask(L))
				}
				L.Push(st.conn(L))
				return 1
			}
			if ks == "err" {
				if e := st.errString(); e != "" {
					L.Push(lua.LString(e))
					return 1
				}
			}
			if ks == "eof" {
				L.Push(lua.LBool(st.body.atEOF()))
				return 1
			}
		}
		L.Push(methods.RawGet(key))
		return 1
	}))
	L.SetField(mt, "__newindex", L.NewFunction(func(L *lua.LState) int {
		st := CheckServerStream(L, 1)
		st.fields.set(L, L.Get(2), L.Get(3))
		return 0
	}))
	return mt
}

// conn returns stream.conn: the connection under the request as a silly
// conn object (created on first use). Reading from it would corrupt the
// HTTP stream; closing it drops the connection, as in silly.
func (st *ServerStream) conn(L *lua.LState) lua.LValue {
	if st.connUD != nil {
		return st.connUD
	}
	if st.nc == nil || (st.ended && !st.hijacked) {
		return lua.LNil
	}
	c, ud := sillynet.WrapConn(L, st.rt, st.nc, st.fields.remoteAddr)
	st.connObj, st.connUD = c, ud
	return ud
}

// connClosed reports whether the script closed stream.conn.
func (st *ServerStream) connClosed() bool { return st.connObj != nil && st.connObj.Closed() }

var serverMethods = map[string]lua.LGFunction{
	"respond": func(L *lua.LState) int {
		st := CheckServerStream(L, 1)
		status := L.CheckInt(2)
		if status < 100 || status > 999 {
			L.ArgError(2, "invalid HTTP status")
		}
		st.Respond(status, L.CheckTable(3))
		return 0
	},
	"write": func(L *lua.LState) int {
		st := CheckServerStream(L, 1)
		t := st.rt.MustTask(L)
		data := lua.LVAsString(L.Get(2))
		return sillynet.PushStatus(L, st.write(t, data))
	},
	"flush": func(L *lua.LState) int {
		st := CheckServerStream(L, 1)
		t := st.rt.MustTask(L)
		st.flush(t)
		return 0
	},
	"closewrite": func(L *lua.LState) int {
		st := CheckServerStream(L, 1)
		t := st.rt.MustTask(L)
		st.closeWrite(t, lua.LVAsString(L.Get(2)), L.OptTable(3, nil))
		return 0
	},
	// close(body?) ends the response like closewrite(body). silly's h1
	// server stream has no close method, but the silly documentation's
	// examples call stream:close("...") this way.
	"close": func(L *lua.LState) int {
		st := CheckServerStream(L, 1)
		t := st.rt.MustTask(L)
		st.closeWrite(t, lua.LVAsString(L.Get(2)), nil)
		return 0
	},
	"read": func(L *lua.LState) int {
		st := CheckServerStream(L, 1)
		t := st.rt.MustTask(L)
		n := L.CheckInt(2)
		timeout := msArg(L, 3)
		if n <= 0 {
			L.Push(lua.LString(""))
			return 1
		}
		s, e := st.body.readN(t, n, timeout)
		return pushResult(L, s, e)
	},
	"readall": func(L *lua.LState) int {
		st := CheckServerStream(L, 1)
		t := st.rt.MustTask(L)
		s, e := st.body.readAll(t, msArg(L, 2))
		return pushResult(L, s, e)
	},
}

func pushResult(L *lua.LState, s, e string) int {
	if e != "" {
		L.Push(lua.LNil)
		L.Push(lua.LString(e))
		return 2
	}
	L.Push(lua.LString(s))
	return 1
}

func msArg(L *lua.LState, n int) time.Duration {
	ms := L.OptNumber(n, 0)
	if ms <= 0 {
		return 0
	}
	return time.Duration(float64(ms) * float64(time.Millisecond))
}

// sendHeader fixes the response headers (silly's flush_header): the
// declared content-length is the byte limit; without one the body is chunked
// (net/http does the chunking), or content-length 0 when the response ends
// with nothing written.
func (st *ServerStream) sendHeader(t *runtime.Task, ending bool, pendingBody bool) string {
	if st.headerSent {
		return ""
	}
	if !st.responded {
		return "Write not allowed (no body expected)"
	}
	st.headerSent = true
	h := st.w.Header()
	// silly sends exactly the headers given: no sniffed Content-Type and
	// no Date.
	h["Content-Type"] = nil
	h["Date"] = nil
	st.limit = -1
	chunked := false
	if st.header != nil {
		st.header.ForEach(func(k, v lua.LValue) {
			name := http.CanonicalHeaderKey(lua.LVAsString(k))
			switch name {
			case "Transfer-Encoding":
				chunked = strings.EqualFold(lua.LVAsString(v), "chunked")
				return // net/http does the chunking itself
			case "Content-Length":
				n, err := strconv.ParseInt(lua.LVAsString(v), 10, 64)
				if err != nil || n < 0 {
					n = 0
				}
				st.limit = n
			}
			if arr, ok := v.(*lua.LTable); ok {
				vals := make([]string, 0, arr.Len())
				for i := 1; i <= arr.Len(); i++ {
					vals = append(vals, lua.LVAsString(arr.RawGetInt(i)))
				}
				h[name] = vals
				return
			}
			h[name] = []string{lua.LVAsString(v)}
		})
	}
	st.noBody = bodyless(st.fields.method, int(st.status))
	if st.noBody {
		delete(h, "Content-Length")
		st.limit = -1
	} else if ending && !pendingBody && st.limit < 0 && !chunked {
		h.Set("Content-Length", "0")
		st.limit = 0
	}
	status := st.status
	return st.do(t, func() error {
		st.w.WriteHeader(int(status))
		return nil
	})
}

// do runs a ResponseWriter call without the VM token (it may block on the
// network) and records a transport error the way silly caches it.
func (st *ServerStream) do(t *runtime.Task, fn func() error) string {
	err := t.Block(func(context.Context) error { return fn() })
	if err != nil {
		st.err = sillynet.ErrString(err)
		return st.err
	}
	return ""
}

func (st *ServerStream) write(t *runtime.Task, data string) string {
	if st.writeClosed {
		return "Write closed"
	}
	if st.err != "" {
		return st.err
	}
	if e := st.sendHeader(t, false, true); e != "" {
		return e
	}
	if st.noBody {
		return "Write not allowed (no body expected)"
	}
	if st.limit >= 0 && st.written+int64(len(data)) > st.limit {
		return "Write exceed content-length size"
	}
	if data == "" {
		if st.limit < 0 {
			// In silly an empty chunk is the terminating chunk.
			st.writeClosed = true
		}
		return ""
	}
	st.written += int64(len(data))
	return st.do(t, func() error {
		_, err := st.w.Write([]byte(data))
		return err
	})
}

func (st *ServerStream) flush(t *runtime.Task) {
	if st.hijacked || st.ended {
		return
	}
	if e := st.sendHeader(t, false, true); e != "" {
		return
	}
	st.do(t, func() error { return http.NewResponseController(st.w).Flush() })
}

// closeWrite ends the response: optional last data, headers, trailers.
// A second call does nothing. The connection stays open for keep-alive.
func (st *ServerStream) closeWrite(t *runtime.Task, data string, trailer *lua.LTable) {
	if st.writeClosed || st.hijacked {
		return
	}
	if data != "" {
		st.write(t, data)
	}
	if !st.responded && !st.headerSent {
		// A handler that never responded: silly's closewrite would fail
		// to build a status line; answer with an empty 200 like net/http.
		st.Respond(200, nil)
	}
	if st.sendHeader(t, true, false) != "" {
		return
	}
	st.writeClosed = true
	if trailer != nil && !st.noBody && st.limit < 0 {
		h := st.w.Header()
		trailer.ForEach(func(k, v lua.LValue) {
			h.Set(http.TrailerPrefix+lua.LVAsString(k), lua.LVAsString(v))
		})
	}
	if !st.ended {
		st.do(t, func() error {
			err := http.NewResponseController(st.w).Flush()
			if err == http.ErrNotSupported {
				return nil
			}
			return err
		})
	}
}
