package wscore

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestAcceptKeyRFCExample(t *testing.T) {
	// RFC 6455 section 1.3.
	if got := AcceptKey("dGhlIHNhbXBsZSBub25jZQ=="); got != "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" {
		t.Fatal(got)
	}
}

// echoServer accepts with opts and echoes messages until the peer closes.
func echoServer(t testing.TB, opts *AcceptOptions) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := Accept(w, r, opts)
		if err != nil {
			return
		}
		defer c.CloseNow()
		for {
			op, p, err := c.ReadMessage()
			if err != nil {
				return
			}
			switch op {
			case OpText, OpBinary:
				if err := c.WriteMessage(op, p); err != nil {
					return
				}
			case OpClose:
				c.Close(0, "")
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func wsURL(s *httptest.Server) string { return "ws" + strings.TrimPrefix(s.URL, "http") }

func TestDialAcceptEcho(t *testing.T) {
	srv := echoServer(t, &AcceptOptions{Subprotocols: []string{"chat", "superchat"}, ResponseHeader: http.Header{"X-Test": {"1"}}})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, resp, err := Dial(ctx, wsURL(srv)+"/path?q=1", &DialOptions{Subprotocols: []string{"superchat", "chat"}, Header: http.Header{"Authorization": {"x"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	if c.Subprotocol() != "chat" || resp.Header.Get("X-Test") != "1" {
		t.Fatalf("subprotocol %q header %q", c.Subprotocol(), resp.Header.Get("X-Test"))
	}
	for _, size := range []int{0, 1, 125, 126, 65535, 65536, 1 << 20} {
		msg := strings.Repeat("a", size)
		if err := c.WriteMessage(OpText, []byte(msg)); err != nil {
			t.Fatal(err)
		}
		op, p, err := c.ReadMessage()
		if err != nil || op != OpText || string(p) != msg {
			t.Fatalf("size %d: %v %v len %d", size, op, err, len(p))
		}
	}
	if err := c.Close(StatusNormalClosure, "done"); err != nil {
		t.Fatal(err)
	}
	if code, _, ok := c.PeerClose(); !ok || code != 1000 {
		t.Fatalf("peer close %d %v", code, ok)
	}
}

func TestDialTLS(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := Accept(w, r, nil)
		if err != nil {
			return
		}
		defer c.CloseNow()
		op, p, err := c.ReadMessage()
		if err == nil {
			c.WriteMessage(op, p)
		}
		c.Close(1000, "")
	})
	srv := httptest.NewTLSServer(h)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	u := "wss" + strings.TrimPrefix(srv.URL, "https")
	_, _, err := Dial(ctx, u, nil)
	if err == nil {
		t.Fatal("self-signed certificate accepted without InsecureSkipVerify")
	}
	// Callers tell a refused certificate from other failures by type.
	var certErr *tls.CertificateVerificationError
	if !errors.Is(err, ErrTLSHandshake) || !errors.As(err, &certErr) {
		t.Fatalf("refused certificate: %v, want ErrTLSHandshake wrapping a *tls.CertificateVerificationError", err)
	}
	c, _, err := Dial(ctx, u, &DialOptions{TLSConfig: &tls.Config{InsecureSkipVerify: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	c.WriteMessage(OpBinary, []byte("tls"))
	if _, p, err := c.ReadMessage(); err != nil || string(p) != "tls" {
		t.Fatal(err, p)
	}
}

func TestAcceptRejects(t *testing.T) {
	srv := echoServer(t, &AcceptOptions{OriginPatterns: []string{"*.example.com"}})
	good := func() http.Header {
		return http.Header{
			"Upgrade":               {"websocket"},
			"Connection":            {"keep-alive, Upgrade"},
			"Sec-Websocket-Version": {"13"},
			"Sec-Websocket-Key":     {"dGhlIHNhbXBsZSBub25jZQ=="},
		}
	}
	cases := []struct {
		name   string
		method string
		mod    func(h http.Header)
		status int
	}{
		{"POST", "POST", func(h http.Header) {}, 405},
		{"no upgrade", "GET", func(h http.Header) { h.Del("Upgrade") }, 400},
		{"upgrade h2c", "GET", func(h http.Header) { h.Set("Upgrade", "h2c") }, 400},
		{"no connection upgrade", "GET", func(h http.Header) { h.Set("Connection", "keep-alive") }, 400},
		{"version 8", "GET", func(h http.Header) { h.Set("Sec-Websocket-Version", "8") }, 426},
		{"no version", "GET", func(h http.Header) { h.Del("Sec-Websocket-Version") }, 426},
		{"no key", "GET", func(h http.Header) { h.Del("Sec-Websocket-Key") }, 400},
		{"short key", "GET", func(h http.Header) { h.Set("Sec-Websocket-Key", "c2hvcnQ=") }, 400},
		{"bad base64 key", "GET", func(h http.Header) { h.Set("Sec-Websocket-Key", "!!!!!!!!!!!!!!!!!!!!!!!!") }, 400},
		{"bad origin", "GET", func(h http.Header) { h.Set("Origin", "https://evil.org") }, 403},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, srv.URL, nil)
			req.Header = good()
			tc.mod(req.Header)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d (%s), want %d", resp.StatusCode, body, tc.status)
			}
			if tc.status == 426 && resp.Header.Get("Sec-WebSocket-Version") != "13" {
				t.Fatal("426 without Sec-WebSocket-Version: 13")
			}
			if len(body) == 0 {
				t.Fatal("no reason in the body")
			}
		})
	}
	// A good origin and a case-insensitive, comma-listed request pass.
	req, _ := http.NewRequest("GET", srv.URL, nil)
	req.Header = good()
	req.Header.Set("Upgrade", "WebSocket")
	req.Header.Set("Origin", "https://app.example.com")
	if err := CheckRequest(req); err != nil {
		t.Fatal(err)
	}
}

// rawServer answers one connection with resp (the accept key computed from
// the request unless resp contains no %s).
func rawServer(t *testing.T, resp func(key string) string) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		nc, err := ln.Accept()
		if err != nil {
			return
		}
		defer nc.Close()
		req, err := http.ReadRequest(bufio.NewReader(nc))
		if err != nil {
			return
		}
		io.WriteString(nc, resp(req.Header.Get("Sec-WebSocket-Key")))
		time.Sleep(100 * time.Millisecond)
	}()
	return "ws://" + ln.Addr().String() + "/"
}

func TestDialRejects(t *testing.T) {
	ok := func(extra string) func(string) string {
		return func(key string) string {
			return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + AcceptKey(key) + "\r\n" + extra + "\r\n"
		}
	}
	cases := []struct {
		name string
		resp func(string) string
		opts *DialOptions
	}{
		{"200", func(string) string { return "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n" }, nil},
		{"bad accept", func(string) string {
			return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: xxx\r\n\r\n"
		}, nil},
		{"no upgrade", func(key string) string {
			return "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + AcceptKey(key) + "\r\n\r\n"
		}, nil},
		{"no connection", func(key string) string {
			return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: " + AcceptKey(key) + "\r\n\r\n"
		}, nil},
		{"subprotocol not offered", ok("Sec-WebSocket-Protocol: evil\r\n"), &DialOptions{Subprotocols: []string{"chat"}}},
		{"extension not offered", ok("Sec-WebSocket-Extensions: permessage-deflate\r\n"), nil},
		{"unknown extension", ok("Sec-WebSocket-Extensions: x-foo\r\n"), &DialOptions{Compression: &CompressionOptions{}}},
		{"bad deflate param", ok("Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=7\r\n"), &DialOptions{Compression: &CompressionOptions{}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			u := rawServer(t, tc.resp)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_, _, err := Dial(ctx, u, tc.opts)
			if !errors.Is(err, ErrBadHandshake) {
				t.Fatalf("err %v, want ErrBadHandshake", err)
			}
		})
	}
	// Positive control: the same server with a correct answer works.
	u := rawServer(t, ok(""))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, _, err := Dial(ctx, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.CloseNow()
}

func TestDialTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		nc, err := ln.Accept()
		if err == nil {
			defer nc.Close()
			time.Sleep(2 * time.Second) // never answers
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, _, err = Dial(ctx, "ws://"+ln.Addr().String(), nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v", err)
	}
}

func TestDialURLForms(t *testing.T) {
	got := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.URL.RequestURI() + " " + r.Host + " " + r.Header.Get("Origin")
		c, err := Accept(w, r, nil)
		if err == nil {
			c.CloseNow()
		}
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, _, err := Dial(ctx, "ws://"+u.Host+"/a/b?x=1&y=2", &DialOptions{Origin: "http://o.test"})
	if err != nil {
		t.Fatal(err)
	}
	c.CloseNow()
	if s := <-got; s != "/a/b?x=1&y=2 "+u.Host+" http://o.test" {
		t.Fatal(s)
	}
}

func TestAcceptConnRaw(t *testing.T) {
	a, b := tcpPair(t)
	done := make(chan error, 1)
	go func() {
		br := bufio.NewReader(a)
		req, err := http.ReadRequest(br)
		if err != nil {
			done <- err
			return
		}
		c, err := AcceptConn(a, br, req, nil)
		if err != nil {
			done <- err
			return
		}
		op, p, err := c.ReadMessage()
		if err == nil {
			err = c.WriteMessage(op, p)
		}
		done <- err
	}()
	u, _ := url.Parse("ws://example/")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, _, err := DialConn(ctx, b, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.WriteMessage(OpText, []byte("raw"))
	if _, p, err := c.ReadMessage(); err != nil || string(p) != "raw" {
		t.Fatal(err, p)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
