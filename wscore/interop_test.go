package wscore

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// interopMessages are sent both ways and must come back unchanged.
func interopMessages() []struct {
	op   Opcode
	data []byte
} {
	return []struct {
		op   Opcode
		data []byte
	}{
		{OpText, []byte("hello")},
		{OpText, []byte("")},
		{OpBinary, []byte{0, 1, 2, 255}},
		{OpText, []byte(strings.Repeat("κόσμε", 20000))},
		{OpBinary, bytes.Repeat([]byte{7}, 16<<20)},
	}
}

// wscore server, gorilla client.
func TestInteropGorillaClient(t *testing.T) {
	for _, compress := range []bool{false, true} {
		t.Run(map[bool]string{false: "plain", true: "deflate"}[compress], func(t *testing.T) {
			var co *CompressionOptions
			if compress {
				co = &CompressionOptions{Threshold: -1}
			}
			srv := echoServer(t, &AcceptOptions{Compression: co, Conn: Options{AutoPong: true, FragmentSize: 4096}})
			d := websocket.Dialer{EnableCompression: compress}
			gc, resp, err := d.Dial(wsURL(srv), nil)
			if err != nil {
				t.Fatal(err)
			}
			defer gc.Close()
			if compress && !strings.Contains(resp.Header.Get("Sec-WebSocket-Extensions"), "permessage-deflate") {
				t.Fatal("deflate not negotiated with gorilla")
			}
			gc.SetReadLimit(64 << 20)
			gc.EnableWriteCompression(compress)
			for _, m := range interopMessages() {
				if err := gc.WriteMessage(int(m.op), m.data); err != nil {
					t.Fatal(err)
				}
				typ, p, err := gc.ReadMessage()
				if err != nil || typ != int(m.op) || !bytes.Equal(p, m.data) {
					t.Fatalf("%s %d bytes: typ %d err %v len %d", m.op, len(m.data), typ, err, len(p))
				}
			}
			// Fragmented by gorilla: NextWriter with several writes and a
			// small buffer (gorilla flushes a frame per full buffer).
			w, _ := gc.NextWriter(websocket.TextMessage)
			for i := 0; i < 10; i++ {
				w.Write(bytes.Repeat([]byte("ab"), 5000))
			}
			w.Close()
			if _, p, err := gc.ReadMessage(); err != nil || len(p) != 100000 {
				t.Fatalf("fragmented: %v %d", err, len(p))
			}
			// Ping is answered by AutoPong.
			pong := make(chan string, 1)
			gc.SetPongHandler(func(s string) error { pong <- s; return nil })
			gc.WriteControl(websocket.PingMessage, []byte("pp"), time.Now().Add(time.Second))
			gc.WriteMessage(websocket.TextMessage, []byte("after ping"))
			if _, p, err := gc.ReadMessage(); err != nil || string(p) != "after ping" {
				t.Fatal(err)
			}
			if s := <-pong; s != "pp" {
				t.Fatal(s)
			}
			// Close code comes back.
			gc.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(4321, "done"))
			_, _, err = gc.ReadMessage()
			var ce *websocket.CloseError
			if !errors.As(err, &ce) || ce.Code != 4321 {
				t.Fatalf("close: %v", err)
			}
		})
	}
}

// gorilla server, wscore client.
func TestInteropGorillaServer(t *testing.T) {
	for _, compress := range []bool{false, true} {
		t.Run(map[bool]string{false: "plain", true: "deflate"}[compress], func(t *testing.T) {
			up := websocket.Upgrader{EnableCompression: compress, WriteBufferSize: 1024}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				gc, err := up.Upgrade(w, r, nil)
				if err != nil {
					return
				}
				defer gc.Close()
				gc.SetReadLimit(64 << 20)
				for {
					typ, p, err := gc.ReadMessage()
					if err != nil {
						var ce *websocket.CloseError
						if errors.As(err, &ce) {
							gc.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(ce.Code, ""))
						}
						return
					}
					if typ == websocket.TextMessage && string(p) == "ping me" {
						gc.WriteControl(websocket.PingMessage, []byte("hi"), time.Now().Add(time.Second))
					}
					// Written with a 1 KiB buffer: large messages arrive fragmented.
					if err := gc.WriteMessage(typ, p); err != nil {
						return
					}
				}
			}))
			defer srv.Close()
			var co *CompressionOptions
			if compress {
				co = &CompressionOptions{ClientNoContextTakeover: true, ServerNoContextTakeover: true, Threshold: -1}
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			c, _, err := Dial(ctx, wsURL(srv), &DialOptions{Compression: co, Conn: Options{FragmentSize: 16 << 10}})
			if err != nil {
				t.Fatal(err)
			}
			defer c.CloseNow()
			if c.Compressed() != compress {
				t.Fatalf("compressed = %v", c.Compressed())
			}
			for _, m := range interopMessages() {
				if err := c.WriteMessage(m.op, m.data); err != nil {
					t.Fatal(err)
				}
				op, p, err := c.ReadMessage()
				if err != nil || op != m.op || !bytes.Equal(p, m.data) {
					t.Fatalf("%s %d bytes: op %v err %v len %d", m.op, len(m.data), op, err, len(p))
				}
			}
			c.WriteMessage(OpText, []byte("ping me"))
			op, p, err := c.ReadMessage()
			if err != nil || op != OpPing || string(p) != "hi" {
				t.Fatalf("ping: %v %q %v", op, p, err)
			}
			if _, p, err := c.ReadMessage(); err != nil || string(p) != "ping me" {
				t.Fatal(err)
			}
			if err := c.Close(3003, "bye"); err != nil {
				t.Fatal(err)
			}
			if code, _, ok := c.PeerClose(); !ok || code != 3003 {
				t.Fatalf("peer close %d %v", code, ok)
			}
		})
	}
}
