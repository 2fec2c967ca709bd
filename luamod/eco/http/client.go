package http

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/golua-ws/golua-ws/luamod/eco/socket"
	ecourl "github.com/golua-ws/golua-ws/luamod/eco/url"
	"github.com/golua-ws/golua-ws/runtime"
	"github.com/golua-ws/golua-ws/runtime/lua54"
	lua "github.com/yuin/gopher-lua"
)

const (
	userAgent      = "Lua-eco/4.1.3 (golua-ws)"
	defaultTimeout = 30 * time.Second
	clientMeta     = "eco.http.client"
	formMeta       = "eco.http.form"
	fileBodyMeta   = "eco.http.body_with_file"
)

// client is an eco.http.client object: it owns the socket of its last
// request until close.
type client struct {
	sock *socket.Socket
	ud   lua.LValue // the socket's Lua value, for hc:sock()
}

// fileBody is http.body_with_file(path).
type fileBody struct {
	path string
	size int64
}

// form is http.form(): a multipart/form-data body builder.
type form struct {
	boundary string
	parts    []formPart
}

type formPart struct {
	name, value, file string
}

func (f *form) encode() ([]byte, error) {
	var b bytes.Buffer
	for _, p := range f.parts {
		b.WriteString("--" + f.boundary + "\r\n")
		if p.file != "" {
			data, err := os.ReadFile(p.file)
			if err != nil {
				return nil, err
			}
			base := p.file[strings.LastIndexByte(p.file, '/')+1:]
			fmt.Fprintf(&b, "Content-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n", p.name, base)
			b.WriteString("Content-Type: application/octet-stream\r\n\r\n")
			b.Write(data)
		} else {
			fmt.Fprintf(&b, "Content-Disposition: form-data; name=\"%s\"\r\n\r\n", p.name)
			b.WriteString(p.value)
		}
		b.WriteString("\r\n")
	}
	b.WriteString("--" + f.boundary + "--\r\n")
	return b.Bytes(), nil
}

func clientModule(rt *runtime.Runtime, L *lua.LState) *lua.LTable {
	hcMeta := L.NewTypeMetatable(clientMeta)
	hcMethods := L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"request": func(L *lua.LState) int { return doRequest(rt, L, checkClient(L), 2, false) },
		"sock": func(L *lua.LState) int {
			c := checkClient(L)
			if c.sock == nil {
				return pushErr(L, "not connected")
			}
			L.Push(c.ud)
			return 1
		},
		"close": func(L *lua.LState) int {
			checkClient(L).close()
			return 0
		},
	})
	hcMeta.RawSetString("__index", hcMethods)
	hcMeta.RawSetString("__close", hcMethods.RawGetString("close"))
	hcMeta.RawSetString("__name", lua.LString(clientMeta))

	fMeta := L.NewTypeMetatable(formMeta)
	fMeta.RawSetString("__index", L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"add": func(L *lua.LState) int {
			f := L.CheckUserData(1).Value.(*form)
			f.parts = append(f.parts, formPart{name: L.CheckString(2), value: L.CheckString(3)})
			L.Push(lua.LTrue)
			return 1
		},
		"add_file": func(L *lua.LState) int {
			f := L.CheckUserData(1).Value.(*form)
			name, path := L.CheckString(2), L.CheckString(3)
			if _, e := checkReadable(path); e != "" {
				return pushErr(L, e)
			}
			f.parts = append(f.parts, formPart{name: name, file: path})
			L.Push(lua.LTrue)
			return 1
		},
	}))
	L.NewTypeMetatable(fileBodyMeta)

	newClient := func(L *lua.LState) lua.LValue {
		ud := L.NewUserData()
		ud.Value = &client{}
		L.SetMetatable(ud, hcMeta)
		return ud
	}
	m := L.NewTable()
	request := func(L *lua.LState, method string, from int) int {
		switch b := L.Get(from + 1).(type) {
		case *lua.LNilType, lua.LString:
		case *lua.LUserData:
			switch b.Value.(type) {
			case *fileBody, *form:
			default:
				return pushErr(L, "invalid body")
			}
		default:
			return pushErr(L, "invalid body")
		}
		hc := newClient(L)
		c := hc.(*lua.LUserData).Value.(*client)
		defer c.close()
		top := L.GetTop()
		// The url, body and options are taken before anything is pushed:
		// with fewer arguments, L.Get past the top would read the pushed
		// values (client.request('GET', url) sent "GET" as its body).
		args := [3]lua.LValue{L.Get(from), L.Get(from + 1), L.Get(from + 2)}
		L.Push(lua.LString(method))
		for _, v := range args {
			L.Push(v)
		}
		n := doRequest(rt, L, c, top+1, true)
		res := make([]lua.LValue, n)
		for i := 0; i < n; i++ {
			res[i] = L.Get(L.GetTop() - n + 1 + i)
		}
		L.SetTop(top)
		for _, v := range res {
			L.Push(v)
		}
		return n
	}
	L.SetFuncs(m, map[string]lua.LGFunction{
		"new": func(L *lua.LState) int { L.Push(newClient(L)); return 1 },
		"request": func(L *lua.LState) int {
			return request(L, L.CheckString(1), 2)
		},
		"get": func(L *lua.LState) int {
			top := L.GetTop()
			L.Push(L.Get(1))
			L.Push(lua.LNil)
			L.Push(L.Get(2))
			return request(L, "GET", top+1)
		},
		"post": func(L *lua.LState) int {
			return request(L, "POST", 1)
		},
		"body_with_file": func(L *lua.LState) int {
			path := L.CheckString(1)
			size, e := checkReadable(path)
			if e != "" {
				return pushErr(L, e)
			}
			ud := L.NewUserData()
			ud.Value = &fileBody{path: path, size: size}
			L.SetMetatable(ud, L.GetTypeMetatable(fileBodyMeta))
			L.Push(ud)
			return 1
		},
		"form": func(L *lua.LState) int {
			var rnd [8]byte
			_, _ = rand.Read(rnd[:])
			ud := L.NewUserData()
			ud.Value = &form{boundary: "------------------------" + hex.EncodeToString(rnd[:])}
			L.SetMetatable(ud, fMeta)
			L.Push(ud)
			return 1
		},
	})
	return m
}

func checkReadable(path string) (int64, string) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, socket.ErrString(err)
	}
	if !fi.Mode().IsRegular() {
		return 0, "not a regular file"
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, "no permission for read"
	}
	f.Close()
	return fi.Size(), ""
}

func checkClient(L *lua.LState) *client {
	ud := L.CheckUserData(1)
	c, ok := ud.Value.(*client)
	if !ok {
		L.ArgError(1, "eco.http.client expected")
	}
	return c
}

func (c *client) close() {
	if c.sock != nil {
		_ = c.sock.Close()
	}
}

// idleReader applies a per-read inactivity timeout, as lua-eco's client
// passes its timeout to every read.
type idleReader struct {
	c       net.Conn
	timeout time.Duration
}

func (r idleReader) Read(p []byte) (int, error) {
	_ = r.c.SetReadDeadline(time.Now().Add(r.timeout))
	return r.c.Read(p)
}

// doRequest runs hc:request(method, url, body, opts) with the arguments at
// n..n+3 and pushes its results.
func doRequest(rt *runtime.Runtime, L *lua.LState, c *client, n int, _ bool) int {
	method := L.CheckString(n)
	rawURL := L.CheckString(n + 1)
	body := L.Get(n + 2)
	opts, _ := L.Get(n + 3).(*lua.LTable)
	t := rt.MustTask(L)

	// Split the URL exactly as lua-eco's url.parse does (eco.http.url).
	u, ok := ecourl.Parse(rawURL)
	if !ok {
		return pushErr(L, "invalid url")
	}
	scheme := u.Scheme
	secure := false
	switch scheme {
	case "http", "ws":
	case "https", "wss":
		secure = true
	default:
		return pushErr(L, "unsupported scheme: "+scheme)
	}
	host := u.Host
	port := 80
	if secure {
		port = 443
	}
	if u.HasPort {
		port = int(u.Port)
	}
	rawPath := u.RawPath
	if rawPath == "" {
		rawPath = "/"
	}

	headers := map[string]string{"user-agent": userAgent}
	if port == 80 || port == 443 {
		headers["host"] = host
	} else {
		headers["host"] = host + ":" + strconv.Itoa(port)
	}
	if scheme == "http" || scheme == "https" {
		headers["connection"] = "close"
	} else {
		var key [16]byte
		_, _ = rand.Read(key[:])
		headers["connection"] = "upgrade"
		headers["upgrade"] = "websocket"
		headers["sec-websocket-version"] = "13"
		headers["sec-websocket-key"] = b64(key[:])
	}
	var payload []byte
	switch b := body.(type) {
	case lua.LString:
		payload = []byte(b)
		headers["content-type"] = "text/plain"
		headers["content-length"] = strconv.Itoa(len(payload))
	case *lua.LUserData:
		switch v := b.Value.(type) {
		case *fileBody:
			data, err := os.ReadFile(v.path)
			if err != nil {
				return pushErr(L, "send body fail: "+socket.ErrString(err))
			}
			payload = data
			headers["content-type"] = "text/plain"
			headers["content-length"] = strconv.Itoa(len(payload))
		case *form:
			if len(v.parts) > 0 {
				data, err := v.encode()
				if err != nil {
					return pushErr(L, "send body fail: "+socket.ErrString(err))
				}
				payload = data
				headers["content-type"] = "multipart/form-data; boundary=" + v.boundary
				headers["content-length"] = strconv.Itoa(len(payload))
			}
		}
	}
	timeout := defaultTimeout
	var bodyToFile lua.LValue = lua.LNil
	if opts != nil {
		if hs, ok := opts.RawGetString("headers").(*lua.LTable); ok {
			hs.ForEach(func(k, v lua.LValue) {
				headers[strings.ToLower(L.ToStringMeta(k).String())] = L.ToStringMeta(v).String()
			})
		}
		if v, ok := opts.RawGetString("timeout").(lua.LNumber); ok && v > 0 {
			timeout = time.Duration(float64(v) * float64(time.Second))
		}
		bodyToFile = opts.RawGetString("body_to_file")
	}
	var tlsOpts *lua.LTable
	if secure {
		tlsOpts = opts
		if opts != nil {
			opts.RawSetString("server_name", lua.LString(host))
		}
	}
	cfg, cfgErr := socket.TLSClientConfig(tlsOpts, host)
	ipv6 := opts != nil && lua.LVAsBool(opts.RawGetString("ipv6"))

	var req bytes.Buffer
	fmt.Fprintf(&req, "%s %s HTTP/1.1\r\n", method, rawPath)
	for k, v := range headers {
		req.WriteString(titleCase(k) + ": " + v + "\r\n")
	}
	req.WriteString("\r\n")
	req.Write(payload)

	var (
		nc      net.Conn
		resp    *http.Response
		br      *bufio.Reader
		errText string
	)
	err := t.Block(func(ctx context.Context) error {
		addrs := []string{host}
		if net.ParseIP(host) == nil {
			network := "ip4"
			if ipv6 {
				network = "ip6"
			}
			ips, err := net.DefaultResolver.LookupIP(ctx, network, host)
			if err != nil || len(ips) == 0 {
				msg := "not found"
				var de *net.DNSError
				if err != nil && !(errors.As(err, &de) && de.IsNotFound) {
					msg = socket.ErrString(err)
				}
				errText = fmt.Sprintf("resolve \"%s\" fail: %s", host, msg)
				return errors.New(errText)
			}
			addrs = addrs[:0]
			for _, ip := range ips {
				addrs = append(addrs, ip.String())
			}
		}
		var err error
		for _, a := range addrs {
			addr := net.JoinHostPort(a, strconv.Itoa(port))
			if secure {
				if cfgErr != nil {
					// lua-eco sets up its TLS context (ca, cert, key) per
					// address and reports a failure like a failed connect.
					errText = fmt.Sprintf("connect \"%s %d\" fail: %s", a, port, cfgErr)
					break
				}
				nc, err = socket.DialTLS(ctx, addr, cfg)
			} else {
				d := net.Dialer{Timeout: 5 * time.Second}
				nc, err = d.DialContext(ctx, "tcp", addr)
			}
			if err == nil {
				break
			}
			errText = fmt.Sprintf("connect \"%s %d\" fail: %s", a, port, socket.ErrString(err))
		}
		if nc == nil {
			return errors.New(errText)
		}
		if _, err := nc.Write(req.Bytes()); err != nil {
			errText = "send body fail: " + socket.ErrString(err)
			return err
		}
		br = bufio.NewReaderSize(idleReader{nc, timeout}, 4096)
		resp, err = http.ReadResponse(br, &http.Request{Method: method})
		if err != nil {
			errText = responseErr(err)
			return err
		}
		return nil
	})
	if err != nil {
		if nc != nil {
			_ = nc.Close()
		}
		return pushErr(L, errText)
	}
	// The new connection replaces the previous one.
	c.close()
	_ = nc.SetReadDeadline(time.Time{})
	res := L.CreateTable(0, 4)
	res.RawSetString("code", lua.LNumber(resp.StatusCode))
	_, reason, _ := strings.Cut(resp.Status, " ")
	res.RawSetString("status", lua.LString(reason))
	hs := L.CreateTable(0, len(resp.Header)+1)
	for k, vs := range resp.Header {
		if len(vs) > 0 {
			hs.RawSetString(strings.ToLower(k), lua.LString(vs[len(vs)-1]))
		}
	}
	if resp.Close && hs.RawGetString("connection") == lua.LNil && resp.ProtoAtLeast(1, 1) {
		// net/http takes "Connection: close" out of the header map.
		hs.RawSetString("connection", lua.LString("close"))
	}
	if len(resp.TransferEncoding) > 0 {
		hs.RawSetString("transfer-encoding", lua.LString(strings.Join(resp.TransferEncoding, ", ")))
	}
	res.RawSetString("headers", hs)

	if method != "HEAD" && resp.StatusCode != http.StatusSwitchingProtocols {
		e := readBody(L, t, resp, bodyToFile, res)
		if e != "" {
			_ = nc.Close()
			return pushErr(L, e)
		}
	}
	var rest []byte
	if n := br.Buffered(); n > 0 {
		rest, _ = br.Peek(n)
	}
	c.sock = socket.Wrap(rt, nc, rest)
	c.ud = c.sock.Push(L)
	L.Push(res)
	return 1
}

// responseErr maps net/http's response parsing errors to lua-eco's.
func responseErr(err error) string {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "malformed HTTP response"), strings.Contains(msg, "malformed HTTP status code"),
		strings.Contains(msg, "malformed HTTP version"):
		return "invalid http status line"
	case strings.Contains(msg, "malformed MIME header"):
		return "invalid http header"
	}
	return socket.ErrString(err)
}

// readBody reads the response body into res.body, or into body_to_file.
func readBody(L *lua.LState, t *runtime.Task, resp *http.Response, sink lua.LValue, res *lua.LTable) string {
	var file *os.File
	switch s := sink.(type) {
	case lua.LString:
		f, err := os.Create(string(s))
		if err != nil {
			return fmt.Sprintf("create \"%s\" fail: %s", s, socket.ErrString(err))
		}
		file = f
		defer file.Close()
	case *lua.LFunction, *lua.LNilType:
	default:
		L.RaiseError("assertion failed!")
	}
	fn, _ := sink.(*lua.LFunction)
	var all []byte
	buf := make([]byte, 4096)
	for {
		var n int
		err := t.Block(func(context.Context) error {
			var err error
			n, err = resp.Body.Read(buf)
			return err
		})
		if n > 0 {
			switch {
			case file != nil:
				if _, werr := file.Write(buf[:n]); werr != nil {
					return socket.ErrString(werr)
				}
			case fn != nil:
				L.Push(fn)
				L.Push(lua.LString(buf[:n]))
				if cerr := lua54.PCall(L, 1, 0, nil); cerr != nil {
					return cerr.Error()
				}
			default:
				all = append(all, buf[:n]...)
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if resp.ContentLength < 0 && len(resp.TransferEncoding) > 0 {
				return socket.ErrString(err)
			}
			return "read body fail: " + socket.ErrString(err)
		}
	}
	if file == nil && fn == nil {
		res.RawSetString("body", lua.LString(all))
	}
	return ""
}

func b64(p []byte) string { return base64.StdEncoding.EncodeToString(p) }
