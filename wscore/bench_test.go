package wscore

// Benchmarks: each wscore line sits beside gorilla/websocket and gobwas/ws
// doing the same work. Run them all in one go:
//
//	go test -run '^$' -bench . -benchmem -count 5 ./wscore/ | tee bench.txt
//
// gorilla does not export its masking or UTF-8 routines: its lines for
// those use the code path that does the work (client frame write;
// utf8.Valid, which gorilla calls).

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"
	"github.com/gorilla/websocket"
)

var benchSizes = []int{16, 1 << 10, 64 << 10, 1 << 20}

func sizeName(n int) string {
	switch {
	case n >= 1<<20:
		return strconv.Itoa(n>>20) + "MiB"
	case n >= 1<<10:
		return strconv.Itoa(n>>10) + "KiB"
	}
	return strconv.Itoa(n) + "B"
}

func BenchmarkMask(b *testing.B) {
	for _, n := range []int{125, 1 << 10, 64 << 10} {
		buf := make([]byte, n)
		b.Run("wscore/"+sizeName(n), func(b *testing.B) {
			b.SetBytes(int64(n))
			for i := 0; i < b.N; i++ {
				maskBytes(0x12345678, 0, buf)
			}
		})
		b.Run("gobwas/"+sizeName(n), func(b *testing.B) {
			b.SetBytes(int64(n))
			for i := 0; i < b.N; i++ {
				ws.Cipher(buf, [4]byte{0x78, 0x56, 0x34, 0x12}, 0)
			}
		})
	}
}

func BenchmarkUTF8(b *testing.B) {
	for _, n := range []int{1 << 10, 64 << 10} {
		text := []byte(strings.Repeat("hello κόσμε, ", n/16+1))[:n]
		for !utf8.Valid(text) {
			text = text[:len(text)-1]
		}
		b.Run("wscore/"+sizeName(n), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			var s utf8State
			for i := 0; i < b.N; i++ {
				if !s.feed(text) || !s.done() {
					b.Fatal("invalid")
				}
			}
		})
		b.Run("gorilla/"+sizeName(n), func(b *testing.B) { // gorilla calls utf8.Valid
			b.SetBytes(int64(len(text)))
			for i := 0; i < b.N; i++ {
				if !utf8.Valid(text) {
					b.Fatal("invalid")
				}
			}
		})
		b.Run("gobwas/"+sizeName(n), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			r := bytes.NewReader(text)
			u := wsutil.NewUTF8Reader(r)
			sink := make([]byte, 4096)
			for i := 0; i < b.N; i++ {
				r.Reset(text)
				u.Reset(r)
				for {
					if _, err := u.Read(sink); err != nil {
						break
					}
				}
				if !u.Valid() {
					b.Fatal("invalid")
				}
			}
		})
	}
}

// discardConn is a net.Conn that swallows writes.
type discardConn struct{ fuzzConn }

func (discardConn) Write(p []byte) (int, error) { return len(p), nil }

// loopConn serves the same byte stream forever.
type loopConn struct {
	fuzzConn
	data []byte
	off  int
}

func (l *loopConn) Read(p []byte) (int, error) {
	n := copy(p, l.data[l.off:])
	l.off += n
	if l.off == len(l.data) {
		l.off = 0
	}
	return n, nil
}
func (l *loopConn) Write(p []byte) (int, error) { return len(p), nil }

// hijackWriter lets gorilla's Upgrader run over an arbitrary net.Conn.
type hijackWriter struct {
	nc net.Conn
	h  http.Header
}

func (w *hijackWriter) Header() http.Header         { return w.h }
func (w *hijackWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *hijackWriter) WriteHeader(int)             {}
func (w *hijackWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return w.nc, bufio.NewReadWriter(bufio.NewReader(w.nc), bufio.NewWriter(w.nc)), nil
}

func gorillaServerConn(b *testing.B, nc net.Conn) *websocket.Conn {
	r, _ := http.NewRequest("GET", "http://x/", nil)
	r.Header.Set("Upgrade", "websocket")
	r.Header.Set("Connection", "Upgrade")
	r.Header.Set("Sec-WebSocket-Version", "13")
	r.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
	up := websocket.Upgrader{ReadBufferSize: 4096, WriteBufferSize: 4096}
	gc, err := up.Upgrade(&hijackWriter{nc: nc, h: http.Header{}}, r, nil)
	if err != nil {
		b.Fatal(err)
	}
	gc.SetReadLimit(64 << 20)
	return gc
}

// BenchmarkWriteMessage: a server writes one unfragmented binary message.
func BenchmarkWriteMessage(b *testing.B) {
	for _, n := range benchSizes {
		payload := make([]byte, n)
		b.Run("wscore/"+sizeName(n), func(b *testing.B) {
			c := NewConn(&discardConn{}, nil, false, nil)
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if err := c.WriteMessage(OpBinary, payload); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("gorilla/"+sizeName(n), func(b *testing.B) {
			gc := gorillaServerConn(b, &discardConn{})
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if err := gc.WriteMessage(websocket.BinaryMessage, payload); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("gobwas/"+sizeName(n), func(b *testing.B) {
			w := &discardConn{}
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if err := wsutil.WriteServerMessage(w, ws.OpBinary, payload); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkWriteFrameClient: a client writes one masked frame (the caller's
// payload must stay intact, so masking copies).
func BenchmarkWriteFrameClient(b *testing.B) {
	for _, n := range benchSizes {
		payload := make([]byte, n)
		b.Run("wscore/"+sizeName(n), func(b *testing.B) {
			c := NewConn(&discardConn{}, nil, true, nil)
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := c.WriteFrame(true, OpBinary, payload); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("gorilla/"+sizeName(n), func(b *testing.B) {
			// gorilla's client path, over a given net.Conn through the
			// Dialer's NetDialContext.
			gc := gorillaClientConn(b, &discardConn{})
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if err := gc.WriteMessage(websocket.BinaryMessage, payload); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("gobwas/"+sizeName(n), func(b *testing.B) {
			w := &discardConn{}
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if err := wsutil.WriteClientMessage(w, ws.OpBinary, payload); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func gorillaClientConn(b *testing.B, _ net.Conn) *websocket.Conn {
	// gorilla picks a random key, so answer after seeing the request.
	pr, pw := net.Pipe()
	go func() {
		req, err := http.ReadRequest(bufio.NewReader(pr))
		if err != nil {
			return
		}
		io.WriteString(pr, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "+AcceptKey(req.Header.Get("Sec-WebSocket-Key"))+"\r\n\r\n")
	}()
	d := websocket.Dialer{
		NetDialContext: func(context.Context, string, string) (net.Conn, error) {
			return &swapConn{Conn: pw}, nil
		},
		ReadBufferSize:  4096,
		WriteBufferSize: 4096,
	}
	gc, _, err := d.Dial("ws://x/", nil)
	if err != nil {
		b.Fatal(err)
	}
	return gc
}

// swapConn is a pipe during the handshake and a sink afterwards.
type swapConn struct {
	net.Conn
	done bool
}

func (s *swapConn) Write(p []byte) (int, error) {
	if s.done {
		return len(p), nil
	}
	n, err := s.Conn.Write(p)
	return n, err
}
func (s *swapConn) Read(p []byte) (int, error) {
	n, err := s.Conn.Read(p)
	if err == nil && bytes.HasSuffix(p[:n], []byte("\r\n\r\n")) {
		s.done = true
	}
	return n, err
}

// BenchmarkReadMessage: a server reads masked binary messages from a
// stream of client frames.
func BenchmarkReadMessage(b *testing.B) {
	for _, n := range benchSizes {
		payload := make([]byte, n)
		frame := rawFrame(true, 0, 2, payload, testKey)
		stream := bytes.Repeat(frame, 1+(64<<10)/len(frame))
		b.Run("wscore/"+sizeName(n), func(b *testing.B) {
			c := NewConn(&loopConn{data: stream}, nil, false, nil)
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, p, err := c.ReadMessage(); err != nil || len(p) != n {
					b.Fatal(err)
				}
			}
		})
		b.Run("gorilla/"+sizeName(n), func(b *testing.B) {
			gc := gorillaServerConn(b, &loopConn{data: stream})
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, p, err := gc.ReadMessage(); err != nil || len(p) != n {
					b.Fatal(err)
				}
			}
		})
		b.Run("gobwas/"+sizeName(n), func(b *testing.B) {
			// The lean gobwas way: header, reused buffer, unmask.
			br := bufio.NewReaderSize(&loopConn{data: stream}, 4096)
			buf := make([]byte, n)
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				h, err := ws.ReadHeader(br)
				if err != nil || h.Length != int64(n) {
					b.Fatal(err)
				}
				if _, err := io.ReadFull(br, buf); err != nil {
					b.Fatal(err)
				}
				ws.Cipher(buf, h.Mask, 0)
			}
		})
	}
}

// BenchmarkEcho: a 1 KiB and a 64 KiB message round trip over loopback TCP,
// both ends the same library.
func BenchmarkEcho(b *testing.B) {
	for _, n := range []int{16, 1 << 10, 64 << 10} {
		msg := bytes.Repeat([]byte("x"), n)
		b.Run("wscore/"+sizeName(n), func(b *testing.B) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				c, err := Accept(w, r, nil)
				if err != nil {
					return
				}
				defer c.CloseNow()
				for {
					op, p, err := c.ReadMessage()
					if err != nil || c.WriteMessage(op, p) != nil {
						return
					}
				}
			}))
			defer srv.Close()
			c, _, err := Dial(context.Background(), wsURL(srv), nil)
			if err != nil {
				b.Fatal(err)
			}
			defer c.CloseNow()
			b.SetBytes(int64(n))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				c.WriteMessage(OpBinary, msg)
				if _, p, err := c.ReadMessage(); err != nil || len(p) != n {
					b.Fatal(err)
				}
			}
		})
		b.Run("gorilla/"+sizeName(n), func(b *testing.B) {
			up := websocket.Upgrader{}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				gc, err := up.Upgrade(w, r, nil)
				if err != nil {
					return
				}
				defer gc.Close()
				for {
					typ, p, err := gc.ReadMessage()
					if err != nil || gc.WriteMessage(typ, p) != nil {
						return
					}
				}
			}))
			defer srv.Close()
			gc, _, err := websocket.DefaultDialer.Dial(wsURL(srv), nil)
			if err != nil {
				b.Fatal(err)
			}
			defer gc.Close()
			b.SetBytes(int64(n))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				gc.WriteMessage(websocket.BinaryMessage, msg)
				if _, p, err := gc.ReadMessage(); err != nil || len(p) != n {
					b.Fatal(err)
				}
			}
		})
		b.Run("gobwas/"+sizeName(n), func(b *testing.B) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				b.Fatal(err)
			}
			defer ln.Close()
			go func() {
				nc, err := ln.Accept()
				if err != nil {
					return
				}
				defer nc.Close()
				if _, err := ws.Upgrade(nc); err != nil {
					return
				}
				for {
					p, op, err := wsutil.ReadClientData(nc)
					if err != nil || wsutil.WriteServerMessage(nc, op, p) != nil {
						return
					}
				}
			}()
			nc, _, _, err := ws.Dial(context.Background(), "ws://"+ln.Addr().String())
			if err != nil {
				b.Fatal(err)
			}
			defer nc.Close()
			b.SetBytes(int64(n))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				wsutil.WriteClientMessage(nc, ws.OpBinary, msg)
				if p, _, err := wsutil.ReadServerData(nc); err != nil || len(p) != n {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReadMessageFragmented: a server reassembles a masked 1 MiB
// binary message sent as 16 fragments of 64 KiB (the reassembly path, whose
// buffer grows as fragments arrive).
func BenchmarkReadMessageFragmented(b *testing.B) {
	const n, frag = 1 << 20, 64 << 10
	payload := make([]byte, frag)
	var stream []byte
	for i := 0; i < n/frag; i++ {
		op := byte(0)
		if i == 0 {
			op = 2
		}
		stream = append(stream, rawFrame(i == n/frag-1, 0, op, payload, testKey)...)
	}
	c := NewConn(&loopConn{data: stream}, nil, false, nil)
	b.SetBytes(n)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, p, err := c.ReadMessage(); err != nil || len(p) != n {
			b.Fatal(err)
		}
	}
}
