package sillyhttp

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	sillynet "github.com/golua-ws/golua-ws/luamod/silly/net"
	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
)

// client is one silly HTTP client (http.newclient, or the module default):
// a net/http Transport with silly's pool settings.
type client struct {
	rt  *runtime.Runtime
	tr  *http.Transport
	dns *Resolver // the silly.net.dns of the module that made the client
}

type resolvedKey struct{}

const clientTypeName = "silly.net.http.client"

// newClientObject builds a client from silly's options: max_idle_per_host
// (default 10), idle_timeout in ms (default 30000), alpnprotos (default
// {"http/1.1","h2"}) and golua-ws's insecure (default false: https://
// verifies the server's certificate); read_timeout is accepted and, as in
// silly, unused.
func newClientObject(L *lua.LState, rt *runtime.Runtime, dns *Resolver, opts *lua.LTable) *lua.LUserData {
	maxIdle, idle := 10, 30*time.Second
	alpn := []string{"http/1.1", "h2"}
	insecure := false
	if opts != nil {
		if n, ok := opts.RawGetString("max_idle_per_host").(lua.LNumber); ok {
			maxIdle = int(n)
		}
		if n, ok := opts.RawGetString("idle_timeout").(lua.LNumber); ok {
			idle = time.Duration(float64(n) * float64(time.Millisecond))
		}
		if l := sillynet.StringList(opts.RawGetString("alpnprotos")); l != nil {
			alpn = l
		}
		insecure = lua.LVAsBool(opts.RawGetString("insecure"))
	}
	d := &net.Dialer{}
	tr := &http.Transport{
		MaxIdleConnsPerHost: maxIdle,
		IdleConnTimeout:     idle,
		DisableCompression:  true, // get/post gunzip themselves and keep the header
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if ip, ok := ctx.Value(resolvedKey{}).(string); ok {
				_, port, _ := net.SplitHostPort(addr)
				addr = net.JoinHostPort(ip, port)
			}
			return d.DialContext(ctx, network, addr)
		},
		// The Transport verifies against the request's host name.
		TLSClientConfig: sillynet.ClientTLSConfig("", alpn, insecure),
	}
	for _, p := range alpn {
		if p == "h2" {
			tr.ForceAttemptHTTP2 = true
		}
	}
	c := &client{rt: rt, tr: tr, dns: dns}
	rt.OnClose(tr.CloseIdleConnections)
	ud := L.NewUserData()
	ud.Value = c
	if mt, ok := L.GetTypeMetatable(clientTypeName).(*lua.LTable); ok {
		L.SetMetatable(ud, mt)
	} else {
		mt := L.NewTypeMetatable(clientTypeName)
		L.SetField(mt, "__index", L.SetFuncs(L.NewTable(), clientMethods))
		L.SetMetatable(ud, mt)
	}
	return ud
}

func checkClient(L *lua.LState) *client {
	ud := L.CheckUserData(1)
	c, ok := ud.Value.(*client)
	if !ok {
		L.ArgError(1, "http client expected")
	}
	return c
}

var clientMethods = map[string]lua.LGFunction{
	"request": func(L *lua.LState) int {
		c := checkClient(L)
		t := c.rt.MustTask(L)
		cs, e := c.newRequest(L, t, L.CheckString(2), L.CheckString(3), L.OptTable(4, nil))
		if e != "" {
			L.Push(lua.LNil)
			L.Push(lua.LString(e))
			return 2
		}
		L.Push(cs.push(L))
		return 1
	},
	"get": func(L *lua.LState) int {
		c := checkClient(L)
		return c.simple(L, "GET", L.CheckString(2), L.OptTable(3, nil), "", false)
	},
	"post": func(L *lua.LState) int {
		c := checkClient(L)
		body, has := L.Get(4).(lua.LString)
		return c.simple(L, "POST", L.CheckString(2), L.OptTable(3, nil), string(body), has)
	},
}

// simple implements http.get and http.post: one request, the whole body,
// gunzipped when content-encoding is gzip; {status, header, body}.
func (c *client) simple(L *lua.LState, method, url string, header *lua.LTable, body string, hasBody bool) int {
	t := c.rt.MustTask(L)
	if header == nil {
		header = L.NewTable()
	}
	if header.RawGetString("accept-encoding") == lua.LNil {
		header.RawSetString("accept-encoding", lua.LString("gzip"))
	}
	if hasBody {
		header.RawSetString("content-length", lua.LNumber(len(body)))
	}
	cs, e := c.newRequest(L, t, method, url, header)
	if e == "" {
		cs.closeWrite(t, body)
		e = cs.waitResponse(t, 0)
	}
	var data string
	if e == "" {
		data, e = cs.body.readAll(t, 0)
	}
	if cs != nil {
		cs.close()
	}
	if e != "" {
		L.Push(lua.LNil)
		L.Push(lua.LString(e))
		return 2
	}
	if strings.EqualFold(cs.resp.Header.Get("Content-Encoding"), "gzip") {
		zr, err := gzip.NewReader(strings.NewReader(data))
		if err == nil {
			var b bytes.Buffer
			if _, err = io.Copy(&b, zr); err == nil {
				data = b.String()
			}
		}
		if err != nil {
			L.Push(lua.LNil)
			L.Push(lua.LString("gzip: " + err.Error()))
			return 2
		}
	}
	cs.syncFields(L)
	res := L.CreateTable(0, 3)
	res.RawSetString("status", lua.LNumber(cs.resp.StatusCode))
	res.RawSetString("header", cs.fields.RawGetString("header"))
	res.RawSetString("body", lua.LString(data))
	L.Push(res)
	return 1
}

// ParseURL splits a URL as silly's helper.parseurl: scheme, host (IPv6
// brackets stripped), port (a string; 80/443 by default for http/ws and
// https/wss), path with query ("/" when empty).
func ParseURL(raw string) (scheme, host, port, path string, e string) {
	scheme, host, port, path, _, e = parseURL(raw)
	return scheme, host, port, path, e
}

// parseURL is ParseURL that also reports whether the port is the scheme's
// default rather than one the URL gave (helper.parseurl's fifth result).
func parseURL(raw string) (scheme, host, port, path string, defaulted bool, e string) {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok || scheme == "" || strings.Contains(scheme, ":") {
		return "", "", "", "", false, "Invalid url"
	}
	i := strings.IndexAny(rest, "/?")
	hostport := rest
	path = "/"
	if i >= 0 {
		hostport, path = rest[:i], rest[i:]
		if path[0] == '?' {
			path = "/" + path
		}
	}
	h, p, err := net.SplitHostPort(hostport)
	if err != nil {
		h, p = strings.Trim(hostport, "[]"), ""
	}
	if p == "" {
		defaulted = true
		switch scheme {
		case "http", "ws":
			p = "80"
		case "https", "wss":
			p = "443"
		default:
			return "", "", "", "", false, "Unsupported scheme"
		}
	}
	if h == "" {
		return "", "", "", "", false, "Invalid url"
	}
	return scheme, h, p, path, defaulted, ""
}

// clientStream is silly's client stream over one net/http round trip. The
// request is sent when the script first writes, flushes or closewrites.
type clientStream struct {
	c       *client
	req     *http.Request
	ctx     context.Context
	cancel  context.CancelFunc
	header  *lua.LTable
	pw      *io.PipeWriter
	started bool
	closed  bool
	wclosed bool
	respCh  chan roundTrip
	resp    *http.Response
	body    bodyReader
	fields  *lua.LTable
	err     string
}

type roundTrip struct {
	resp *http.Response
	err  error
}

func (c *client) newRequest(L *lua.LState, t *runtime.Task, method, url string, header *lua.LTable) (*clientStream, string) {
	scheme, host, port, path, e := ParseURL(url)
	if e != "" {
		return nil, e
	}
	if scheme != "http" && scheme != "https" {
		return nil, "Unsupported scheme"
	}
	ip, e := c.dns.LookupA(L, t, host)
	if e != "" {
		return nil, "dns lookup " + host + " failed: " + e
	}
	ctx, cancel := context.WithCancel(context.WithValue(c.rt.Context(), resolvedKey{}, ip))
	req, err := http.NewRequestWithContext(ctx, method, scheme+"://"+net.JoinHostPort(host, port)+path, nil)
	if err != nil {
		cancel()
		return nil, "Invalid url"
	}
	if header == nil {
		header = L.NewTable()
	}
	header.RawSetString("host", lua.LString(host)) // silly sets host without the port
	header.ForEach(func(k, v lua.LValue) {
		name := http.CanonicalHeaderKey(lua.LVAsString(k))
		if arr, ok := v.(*lua.LTable); ok {
			for i := 1; i <= arr.Len(); i++ {
				req.Header.Add(name, lua.LVAsString(arr.RawGetInt(i)))
			}
			return
		}
		req.Header.Set(name, lua.LVAsString(v))
	})
	req.Host = host // as silly: the host without the port
	if strings.Contains(host, ":") {
		req.Host = "[" + host + "]"
	}
	req.Header.Del("Host")
	cs := &clientStream{c: c, req: req, ctx: ctx, cancel: cancel, header: header, respCh: make(chan roundTrip, 1)}
	f := L.CreateTable(0, 10)
	f.RawSetString("method", lua.LString(method))
	f.RawSetString("path", lua.LString(path))
	f.RawSetString("scheme", lua.LString(scheme))
	f.RawSetString("version", lua.LString("HTTP/1.1"))
	f.RawSetString("remoteaddr", lua.LString(net.JoinHostPort(ip, port)))
	f.RawSetString("header", L.NewTable())
	f.RawSetString("trailer", L.NewTable())
	cs.fields = f
	return cs, ""
}

func (cs *clientStream) start(body io.Reader, length int64) {
	cs.started = true
	req := cs.req
	if body != nil {
		req.Body = io.NopCloser(body)
		req.ContentLength = length
		if length == 0 {
			req.Body = http.NoBody
		}
	}
	if te := req.Header.Get("Transfer-Encoding"); te != "" {
		req.Header.Del("Transfer-Encoding")
		req.TransferEncoding = []string{"chunked"}
		req.ContentLength = -1
	}
	go func() {
		resp, err := cs.c.tr.RoundTrip(req)
		cs.respCh <- roundTrip{resp, err}
	}()
}

func (cs *clientStream) declaredLength() int64 {
	if v := cs.req.Header.Get("Content-Length"); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return n
		}
	}
	return -1
}

func (cs *clientStream) write(t *runtime.Task, data string) string {
	if cs.wclosed {
		return "Write closed"
	}
	if !cs.started {
		pr, pw := io.Pipe()
		cs.pw = pw
		cs.start(pr, cs.declaredLength())
	}
	if data == "" {
		return ""
	}
	err := t.Block(func(context.Context) error {
		_, err := cs.pw.Write([]byte(data))
		return err
	})
	if err != nil {
		return sillynet.ErrString(err)
	}
	return ""
}

func (cs *clientStream) closeWrite(t *runtime.Task, data string) {
	if cs.wclosed {
		return
	}
	if !cs.started {
		n := cs.declaredLength()
		if n < 0 {
			n = int64(len(data))
		}
		switch cs.req.Method {
		case "GET", "HEAD", "DELETE", "CONNECT":
			if data == "" {
				cs.start(nil, 0)
				break
			}
			fallthrough
		default:
			cs.start(strings.NewReader(data), n)
		}
		cs.wclosed = true
		return
	}
	if data != "" {
		cs.write(t, data)
	}
	cs.wclosed = true
	if cs.pw != nil {
		cs.pw.Close()
	}
}

func (cs *clientStream) waitResponse(t *runtime.Task, timeout time.Duration) string {
	if cs.resp != nil {
		return ""
	}
	if cs.err != "" {
		return cs.err
	}
	if !cs.started {
		return "Should closewrite first"
	}
	var rtr roundTrip
	err := t.Block(func(ctx context.Context) error {
		var tc <-chan time.Time
		if timeout > 0 {
			tm := time.NewTimer(timeout)
			defer tm.Stop()
			tc = tm.C
		}
		select {
		case rtr = <-cs.respCh:
			return nil
		case <-tc:
			return context.DeadlineExceeded
		}
	})
	if err != nil {
		return sillynet.ErrTimedOut
	}
	if rtr.err != nil {
		cs.err = clientErr(rtr.err)
		if cs.err == sillynet.ErrTLS {
			sillynet.LogTLSFailure(cs.c.rt, cs.req.URL.Host, rtr.err)
		}
		return cs.err
	}
	cs.resp = rtr.resp
	cs.body = bodyReader{body: rtr.resp.Body, abort: cs.cancel, sized: rtr.resp.ContentLength >= 0}
	if bodyless(cs.req.Method, rtr.resp.StatusCode) || rtr.resp.ContentLength == 0 {
		cs.body.eof, cs.body.sized = true, true
	}
	return ""
}

func clientErr(err error) string {
	var ne *net.OpError
	if errorsAs(err, &ne) {
		return sillynet.ErrString(ne)
	}
	if strings.Contains(err.Error(), "malformed HTTP response") {
		return "Invalid response line"
	}
	return sillynet.ErrString(err)
}

func (cs *clientStream) close() {
	if cs.closed {
		return
	}
	cs.closed = true
	if cs.pw != nil {
		cs.pw.CloseWithError(io.ErrClosedPipe)
	}
	if cs.resp != nil {
		cs.resp.Body.Close()
	}
	cs.cancel()
}

const clientStreamTypeName = "silly.net.http.clientstream"

func checkClientStream(L *lua.LState) *clientStream {
	ud := L.CheckUserData(1)
	cs, ok := ud.Value.(*clientStream)
	if !ok {
		L.ArgError(1, "http client stream expected")
	}
	return cs
}

// syncFields copies the response into the Lua fields once it is known.
func (cs *clientStream) syncFields(L *lua.LState) {
	if cs.resp == nil || cs.fields.RawGetString("status") != lua.LNil {
		return
	}
	r := cs.resp
	cs.fields.RawSetString("status", lua.LNumber(r.StatusCode))
	cs.fields.RawSetString("header", headerTable(L, r.Header, "", r.TransferEncoding))
	if r.ProtoMajor == 2 {
		cs.fields.RawSetString("version", lua.LString("HTTP/2"))
	} else {
		cs.fields.RawSetString("version", lua.LString(strconv.Itoa(r.ProtoMajor)+"."+strconv.Itoa(r.ProtoMinor)))
	}
}

func (cs *clientStream) push(L *lua.LState) *lua.LUserData {
	ud := L.NewUserData()
	ud.Value = cs
	if mt, ok := L.GetTypeMetatable(clientStreamTypeName).(*lua.LTable); ok {
		L.SetMetatable(ud, mt)
		return ud
	}
	mt := L.NewTypeMetatable(clientStreamTypeName)
	methods := L.SetFuncs(L.NewTable(), clientStreamMethods)
	L.SetField(mt, "__index", L.NewFunction(func(L *lua.LState) int {
		cs := checkClientStream(L)
		key := L.Get(2)
		switch key {
		case lua.LString("eof"):
			L.Push(lua.LBool(cs.body.atEOF()))
			return 1
		case lua.LString("err"):
			e := cs.err
			if e == "" {
				e = cs.body.err
			}
			if e == "" {
				L.Push(lua.LNil)
			} else {
				L.Push(lua.LString(e))
			}
			return 1
		case lua.LString("trailer"):
			if cs.resp != nil && cs.body.eof {
				tt := L.NewTable()
				for k, vs := range cs.resp.Trailer {
					if len(vs) > 0 {
						tt.RawSetString(strings.ToLower(k), lua.LString(vs[0]))
					}
				}
				L.Push(tt)
				return 1
			}
		}
		if v := cs.fields.RawGet(key); v != lua.LNil {
			L.Push(v)
			return 1
		}
		L.Push(methods.RawGet(key))
		return 1
	}))
	L.SetField(mt, "__newindex", L.NewFunction(func(L *lua.LState) int {
		checkClientStream(L).fields.RawSet(L.Get(2), L.Get(3))
		return 0
	}))
	closeFn := L.NewFunction(func(L *lua.LState) int {
		checkClientStream(L).close()
		return 0
	})
	L.SetField(mt, "__close", closeFn)
	L.SetField(mt, "__gc", closeFn)
	L.SetMetatable(ud, mt)
	return ud
}

var clientStreamMethods = map[string]lua.LGFunction{
	"write": func(L *lua.LState) int {
		cs := checkClientStream(L)
		return sillynet.PushStatus(L, cs.write(cs.c.rt.MustTask(L), lua.LVAsString(L.Get(2))))
	},
	"flush": func(L *lua.LState) int {
		cs := checkClientStream(L)
		if !cs.started {
			cs.write(cs.c.rt.MustTask(L), "")
		}
		return 0
	},
	"closewrite": func(L *lua.LState) int {
		cs := checkClientStream(L)
		cs.closeWrite(cs.c.rt.MustTask(L), lua.LVAsString(L.Get(2)))
		return 0
	},
	"waitresponse": func(L *lua.LState) int {
		cs := checkClientStream(L)
		e := cs.waitResponse(cs.c.rt.MustTask(L), msArg(L, 2))
		cs.syncFields(L)
		return sillynet.PushStatus(L, e)
	},
	"read": func(L *lua.LState) int {
		cs := checkClientStream(L)
		t := cs.c.rt.MustTask(L)
		n := L.CheckInt(2)
		if !cs.wclosed {
			return pushResult(L, "", "Should closewrite first")
		}
		if e := cs.waitResponse(t, msArg(L, 3)); e != "" {
			return pushResult(L, "", e)
		}
		cs.syncFields(L)
		if n <= 0 {
			return pushResult(L, "", "")
		}
		s, e := cs.body.readN(t, n, msArg(L, 3))
		return pushResult(L, s, e)
	},
	"readall": func(L *lua.LState) int {
		cs := checkClientStream(L)
		t := cs.c.rt.MustTask(L)
		if !cs.wclosed {
			return pushResult(L, "", "Should closewrite first")
		}
		if e := cs.waitResponse(t, msArg(L, 2)); e != "" {
			return pushResult(L, "", e)
		}
		cs.syncFields(L)
		s, e := cs.body.readAll(t, msArg(L, 2))
		return pushResult(L, s, e)
	},
	"close": func(L *lua.LState) int {
		checkClientStream(L).close()
		return 0
	},
}
