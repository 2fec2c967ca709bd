package silly_test

import (
	"crypto/tls"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/spec/specrun"
	"github.com/gorilla/websocket"
)

// The seed's examples hard-code ports 8080 and 8443, so they run as they
// are, one at a time; no other test in this package uses those ports.

// wsGorillaDial connects an independent client (gorilla/websocket).
func wsGorillaDial(t *testing.T, url string) *websocket.Conn {
	t.Helper()
	d := websocket.Dialer{
		HandshakeTimeout: 5 * time.Second,
		TLSClientConfig:  &tls.Config{InsecureSkipVerify: true}, // the test's self-signed cert
	}
	c, resp, err := d.Dial(url, nil)
	if err != nil {
		t.Fatalf("dial %s: %v (response %v)", url, err, resp)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func wsExpect(t *testing.T, c *websocket.Conn, wantType int, want string) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	typ, data, err := c.ReadMessage()
	if err != nil {
		t.Fatalf("read: %v (want %q)", err, want)
	}
	if typ != wantType || string(data) != want {
		t.Fatalf("got type %d %q, want type %d %q", typ, data, wantType, want)
	}
}

func wsHTTPGet(t *testing.T, url string) (int, string) {
	t.Helper()
	cl := http.Client{Timeout: 5 * time.Second}
	resp, err := cl.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestSillySeedRequire: the seed's first example (the module import).
func TestSillySeedRequire(t *testing.T) {
	specrun.Run(t, "seed_require.lua", specrun.Options{Timeout: 20 * time.Second})
}

// TestSillySeedEchoServer runs the upgrade example on :8080 and checks it
// with a gorilla client, a plain GET, and the seed's two client examples.
func TestSillySeedEchoServer(t *testing.T) {
	specrun.LockPort(t, 8080)
	p := specrun.Start(t, "seed_upgrade_server.lua", specrun.Options{Timeout: 60 * time.Second})
	defer p.Stop()
	p.WaitForPort("127.0.0.1:8080", 10*time.Second)
	p.WaitForOutput("WebSocket server listening on :8080", 5*time.Second)

	c := wsGorillaDial(t, "ws://127.0.0.1:8080/")
	for _, msg := range []string{"hello", "", strings.Repeat("x", 200000)} {
		if err := c.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
			t.Fatal(err)
		}
		wsExpect(t, c, websocket.TextMessage, "Echo: "+msg)
	}
	// binary messages are not echoed by the example; the next text is
	if err := c.WriteMessage(websocket.BinaryMessage, []byte("bin")); err != nil {
		t.Fatal(err)
	}
	if err := c.WriteMessage(websocket.TextMessage, []byte("after")); err != nil {
		t.Fatal(err)
	}
	wsExpect(t, c, websocket.TextMessage, "Echo: after")
	// a close from the client ends the loop; the server closes too
	_ = c.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(1000, "bye"))
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, _, err := c.ReadMessage(); !websocket.IsCloseError(err, 1000) {
		t.Fatalf("want the close echoed with 1000, got %v", err)
	}

	status, body := wsHTTPGet(t, "http://127.0.0.1:8080/")
	if status != 200 || body != "Not a WebSocket request" {
		t.Fatalf("plain GET: %d %q", status, body)
	}

	res := specrun.Run(t, "seed_connect_client.lua", specrun.Options{Timeout: 20 * time.Second})
	if !strings.Contains(res.Stdout, "Connected to WebSocket server") ||
		!strings.Contains(res.Stdout, "Received:\tEcho: Hello, Server!") {
		t.Fatalf("connect example output:\n%s\n%s", res.Stdout, res.Stderr)
	}
}

// TestSillySeedReadClient runs the sock:read() example against a Go server
// on :8080 that sends text, a ping (which the example answers by hand) and a
// close.
func TestSillySeedReadClient(t *testing.T) {
	specrun.LockPort(t, 8080)
	pong := make(chan string, 1)
	up := websocket.Upgrader{}
	srv := &http.Server{Addr: "127.0.0.1:8080", Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		c.SetPongHandler(func(s string) error { pong <- s; return nil })
		_ = c.WriteMessage(websocket.TextMessage, []byte("first"))
		_ = c.WriteMessage(websocket.PingMessage, []byte("are you there"))
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		go func() {
			time.Sleep(300 * time.Millisecond)
			_ = c.WriteMessage(websocket.TextMessage, []byte("second"))
			_ = c.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(1000, ""))
		}()
		for {
			if _, _, err := c.ReadMessage(); err != nil {
				return
			}
		}
	})}
	ln := wsListen(t, "127.0.0.1:8080")
	go srv.Serve(ln)
	defer srv.Close()

	res := specrun.Run(t, "seed_read_client.lua", specrun.Options{Timeout: 20 * time.Second})
	if !strings.Contains(res.Stdout, "Text:\tfirst") || !strings.Contains(res.Stdout, "Text:\tsecond") {
		t.Fatalf("read example output:\n%s\n%s", res.Stdout, res.Stderr)
	}
	select {
	case p := <-pong:
		if p != "are you there" {
			t.Fatalf("pong payload %q", p)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the example did not answer the ping")
	}
}

// TestSillySeedBroadcast runs the broadcast example on :8080: a text from
// one client reaches every client; a plain request gets 404.
func TestSillySeedBroadcast(t *testing.T) {
	specrun.LockPort(t, 8080)
	p := specrun.Start(t, "seed_broadcast_server.lua", specrun.Options{Timeout: 60 * time.Second})
	defer p.Stop()
	p.WaitForPort("127.0.0.1:8080", 10*time.Second)
	var cs []*websocket.Conn
	for i := 0; i < 3; i++ {
		cs = append(cs, wsGorillaDial(t, "ws://127.0.0.1:8080/"))
	}
	// the handlers register the clients when their tasks run; give each a
	// round trip before broadcasting
	time.Sleep(200 * time.Millisecond)
	if err := cs[1].WriteMessage(websocket.TextMessage, []byte("to everyone")); err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		wsExpect(t, c, websocket.TextMessage, "to everyone")
	}
	if err := cs[2].WriteMessage(websocket.TextMessage, []byte("again")); err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		wsExpect(t, c, websocket.TextMessage, "again")
	}
	if status, _ := wsHTTPGet(t, "http://127.0.0.1:8080/"); status != 404 {
		t.Fatalf("plain GET status %d, want 404", status)
	}
}

// TestSillySeedWSS runs the WSS example on :8443. The example's certs table
// holds placeholder PEM text ("-----BEGIN CERTIFICATE-----\n..."), so this
// test substitutes a certificate and key it generates into that one table
// and changes nothing else.
func TestSillySeedWSS(t *testing.T) {
	specrun.LockPort(t, 8443)
	src, err := os.ReadFile("seed_wss_server.lua")
	if err != nil {
		t.Fatal(err)
	}
	cert, key := wsSelfSigned(t)
	s := string(src)
	s = strings.Replace(s, `cert = "-----BEGIN CERTIFICATE-----\n..."`, `cert = [[`+cert+`]]`, 1)
	s = strings.Replace(s, `key = "-----BEGIN PRIVATE KEY-----\n..."`, `key = [[`+key+`]]`, 1)
	if s == string(src) || strings.Contains(s, `\n..."`) {
		t.Fatal("placeholder certificate not found in the seed example")
	}
	script := filepath.Join(t.TempDir(), "seed_wss_server.lua")
	if err := os.WriteFile(script, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	p := specrun.Start(t, script, specrun.Options{Timeout: 60 * time.Second})
	defer p.Stop()
	p.WaitForPort("127.0.0.1:8443", 10*time.Second)
	c := wsGorillaDial(t, "wss://127.0.0.1:8443/")
	wsExpect(t, c, websocket.TextMessage, "Secure connection established")
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, _, err := c.ReadMessage(); !websocket.IsCloseError(err, websocket.CloseNoStatusReceived) {
		t.Fatalf("want the server's close, got %v", err)
	}
}
