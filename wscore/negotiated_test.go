package wscore

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// countConn counts the bytes that cross a connection, to see compression
// on the wire.
type countConn struct {
	net.Conn
	in, out atomic.Int64
}

func (c *countConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.in.Add(int64(n))
	return n, err
}

func (c *countConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.out.Add(int64(n))
	return n, err
}

// TestNewConnWithDeflateServer: a server whose handshake is its own code
// (as eco.websocket's is) negotiates permessage-deflate with the helpers
// and talks to gorilla with compression on, both ways.
func TestNewConnWithDeflateServer(t *testing.T) {
	var wire *countConn
	done := make(chan error, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		agreed, err := NegotiateDeflate(strings.Join(r.Header.Values("Sec-WebSocket-Extensions"), ", "), &CompressionOptions{})
		if err != nil || agreed == nil {
			done <- fmt.Errorf("negotiate: %v, %v", agreed, err)
			return
		}
		nc, brw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			done <- err
			return
		}
		fmt.Fprintf(nc, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\nSec-WebSocket-Extensions: %s\r\n\r\n",
			AcceptKey(r.Header.Get("Sec-WebSocket-Key")), agreed.Header())
		wire = &countConn{Conn: nc}
		c := NewConnWith(wire, brw.Reader, false, nil, Negotiated{Deflate: agreed})
		defer c.CloseNow()
		if !c.Compressed() {
			done <- fmt.Errorf("Compressed() is false")
			return
		}
		for {
			op, p, err := c.ReadMessage()
			if err != nil {
				done <- nil
				return
			}
			if op == OpClose {
				c.Close(1000, "")
				done <- nil
				return
			}
			if _, err := c.WriteMessageN(op, p); err != nil {
				done <- err
				return
			}
		}
	}))
	defer srv.Close()
	d := websocket.Dialer{EnableCompression: true}
	gc, resp, err := d.Dial(wsURL(srv), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer gc.Close()
	if !strings.Contains(resp.Header.Get("Sec-WebSocket-Extensions"), "permessage-deflate") {
		t.Fatalf("no extension in the response: %v", resp.Header)
	}
	big := bytes.Repeat([]byte("compress me please "), 50000) // ~950 KB
	for _, m := range [][]byte{[]byte("short"), big, []byte("héllo wörld, héllo wörld, héllo wörld, héllo wörld, héllo wörld, héllo wörld, héllo wörld, héllo wörld!")} {
		if err := gc.WriteMessage(websocket.TextMessage, m); err != nil {
			t.Fatal(err)
		}
		typ, got, err := gc.ReadMessage()
		if err != nil || typ != websocket.TextMessage || !bytes.Equal(got, m) {
			t.Fatalf("echo of %d bytes: %v, type %d, %d bytes back", len(m), err, typ, len(got))
		}
	}
	gc.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(1000, ""))
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if in, out := wire.in.Load(), wire.out.Load(); in > int64(len(big))/20 || out > int64(len(big))/20 {
		t.Fatalf("%d bytes in, %d out for a %d-byte message each way: not compressed", in, out, len(big))
	}
}

// TestNewConnWithDeflateClient: a client that writes its own request offers
// deflate with DeflateOffer and checks the answer with AcceptDeflate.
func TestNewConnWithDeflateClient(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		up := websocket.Upgrader{EnableCompression: true}
		gc, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer gc.Close()
		gc.EnableWriteCompression(true)
		for {
			typ, p, err := gc.ReadMessage()
			if err != nil {
				return
			}
			if err := gc.WriteMessage(typ, p); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	nc, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	nc.SetDeadline(time.Now().Add(10 * time.Second))
	copts := &CompressionOptions{Threshold: -1}
	fmt.Fprintf(nc, "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Extensions: %s\r\n\r\n", DeflateOffer(copts))
	br := bufio.NewReader(nc)
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != 101 {
		t.Fatalf("handshake: %v %v", resp, err)
	}
	agreed, err := AcceptDeflate(resp.Header.Get("Sec-WebSocket-Extensions"), copts)
	if err != nil || agreed == nil {
		t.Fatalf("AcceptDeflate(%q): %v, %v", resp.Header.Get("Sec-WebSocket-Extensions"), agreed, err)
	}
	wire := &countConn{Conn: nc}
	c := NewConnWith(wire, br, true, nil, Negotiated{Deflate: agreed})
	defer c.CloseNow()
	big := bytes.Repeat([]byte{'a', 'b', 'c', 'd'}, 100000)
	n, err := c.WriteMessageN(OpBinary, big)
	if err != nil || n <= 0 || n > len(big)/20 {
		t.Fatalf("WriteMessageN: %d bytes on the wire for %d, %v", n, len(big), err)
	}
	if int64(n) != wire.out.Load() {
		t.Fatalf("WriteMessageN reported %d bytes, %d were written", n, wire.out.Load())
	}
	op, p, err := c.ReadMessage()
	if err != nil || op != OpBinary || !bytes.Equal(p, big) {
		t.Fatalf("echo: %v %v %d bytes", op, err, len(p))
	}
	if wire.in.Load() > int64(len(big))/20 {
		t.Fatalf("%d bytes read for the echo: gorilla's reply was not compressed", wire.in.Load())
	}
}

func TestNegotiateDeflateHelpers(t *testing.T) {
	o := &CompressionOptions{}
	if a, err := NegotiateDeflate("", o); a != nil || err != nil {
		t.Fatalf("no offer: %v %v", a, err)
	}
	if a, err := NegotiateDeflate("x-webkit-deflate-frame", o); a != nil || err != nil {
		t.Fatalf("other extension: %v %v", a, err)
	}
	if _, err := NegotiateDeflate("permessage-deflate; =", o); err == nil {
		t.Fatal("malformed header accepted")
	}
	if a, _ := NegotiateDeflate("permessage-deflate", nil); a != nil {
		t.Fatal("nil options negotiated compression")
	}
	a, err := NegotiateDeflate("permessage-deflate; server_max_window_bits=20, permessage-deflate; client_max_window_bits", o)
	if err != nil || a == nil || a.Header() != "permessage-deflate" {
		t.Fatalf("second offer: %v %v", a, err)
	}
	a, _ = NegotiateDeflate("permessage-deflate; client_max_window_bits", &CompressionOptions{ServerNoContextTakeover: true, ClientMaxWindowBits: 10})
	if a == nil || a.Header() != "permessage-deflate; server_no_context_takeover; client_max_window_bits=10" {
		t.Fatalf("server limits: %v", a)
	}

	if got := DeflateOffer(&CompressionOptions{ClientNoContextTakeover: true, ServerMaxWindowBits: 12}); got != "permessage-deflate; client_no_context_takeover; server_max_window_bits=12; client_max_window_bits" {
		t.Fatalf("offer %q", got)
	}
	for _, tc := range []struct {
		resp string
		opts *CompressionOptions
		ok   bool
		nil_ bool
	}{
		{"", o, true, true},
		{"permessage-deflate", o, true, false},
		{"permessage-deflate; client_max_window_bits=9", o, true, false},
		{"permessage-deflate", nil, false, true},
		{"x-other", o, false, true},
		{"permessage-deflate, permessage-deflate", o, false, true},
		{"permessage-deflate; bogus", o, false, true},
		{"permessage-deflate; client_max_window_bits", o, false, true},
		{"permessage-deflate", &CompressionOptions{ServerMaxWindowBits: 10}, false, true},
		{"permessage-deflate; server_max_window_bits=9", &CompressionOptions{ServerMaxWindowBits: 10}, true, false},
	} {
		a, err := AcceptDeflate(tc.resp, tc.opts)
		if (err == nil) != tc.ok || (a == nil) != tc.nil_ {
			t.Errorf("AcceptDeflate(%q, %+v) = %v, %v", tc.resp, tc.opts, a, err)
		}
	}
}

// TestManualCloseReply: with ManualCloseReply the caller answers the peer's
// close itself, exactly once, and data frames after the answer are refused.
func TestManualCloseReply(t *testing.T) {
	c, raw, br := serverWithRawClient(t, &Options{ManualCloseReply: true})
	raw.Write(cframe(true, 8, closePayload(4001, "bye")))
	f, err := c.ReadFrame()
	if err != nil || f.Opcode != OpClose {
		t.Fatalf("read close: %v %v", f, err)
	}
	if code, reason := f.CloseCode(); code != 4001 || reason != "bye" {
		t.Fatalf("close %d %q", code, reason)
	}
	if c.CloseSent() {
		t.Fatal("close echoed despite ManualCloseReply")
	}
	// RFC 6455 5.5.1 lets an endpoint finish its message before replying.
	if _, err := c.WriteFrame(true, OpText, []byte("last words")); err != nil {
		t.Fatalf("data before the reply: %v", err)
	}
	n, err := c.WriteFrame(true, OpClose, closePayload(4001, ""))
	if err != nil || n != 4 {
		t.Fatalf("close reply: %d, %v", n, err)
	}
	if _, err := c.WriteFrame(true, OpText, []byte("after")); !errors.Is(err, ErrCloseSent) {
		t.Fatalf("data after the reply: %v, want ErrCloseSent", err)
	}
	if _, err := c.WriteFrame(true, OpClose, nil); !errors.Is(err, ErrCloseSent) {
		t.Fatalf("second close: %v, want ErrCloseSent", err)
	}
	if _, op, p := readRaw(t, br); op != 1 || string(p) != "last words" {
		t.Fatalf("peer got op %d %q", op, p)
	}
	if _, op, p := readRaw(t, br); op != 8 || !bytes.Equal(p, closePayload(4001, "")) {
		t.Fatalf("peer got op %d % x, want the close reply", op, p)
	}
	if _, err := c.ReadFrame(); CloseStatus(err) != 4001 {
		t.Fatalf("read after close: %v", err)
	}

	// Closing state: we close first, the peer answers; nothing is echoed.
	c2, raw2, br2 := serverWithRawClient(t, &Options{ManualCloseReply: true})
	if _, err := c2.WriteFrame(true, OpClose, closePayload(1000, "")); err != nil {
		t.Fatal(err)
	}
	readRaw(t, br2)
	raw2.Write(cframe(true, 8, closePayload(1000, "")))
	if f, err := c2.ReadFrame(); err != nil || f.Opcode != OpClose {
		t.Fatalf("peer's answer: %v %v", f, err)
	}
	raw2.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	if _, err := br2.ReadByte(); err == nil {
		t.Fatal("a second close frame went out")
	}
}
