package websocket_test

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/internal/syncbuf"
	"github.com/golua-ws/golua-ws/luamod"
	"github.com/golua-ws/golua-ws/runtime"
	"github.com/gorilla/websocket"
)

// countConn counts the bytes that cross a connection.
type countConn struct {
	net.Conn
	in, out *atomic.Int64
}

func (c countConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.in.Add(int64(n))
	return n, err
}

func (c countConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.out.Add(int64(n))
	return n, err
}

type countListener struct {
	net.Listener
	in, out atomic.Int64
}

func (l *countListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return countConn{c, &l.in, &l.out}, nil
}

// startScript runs a Lua script on its own runtime and returns the exit
// code channel and the captured output.
func startScript(t *testing.T, script string, args ...string) (<-chan int, *syncbuf.Buffer) {
	t.Helper()
	out := &syncbuf.Buffer{}
	rt := runtime.New(runtime.WithStdout(out), runtime.WithStderr(out), runtime.WithFatalErrors(true))
	luamod.Register(rt)
	rt.RunFile(script, args...)
	code := make(chan int, 1)
	go func() {
		c, _ := rt.Wait(context.Background())
		code <- c
	}()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		rt.Close(ctx)
	})
	return code, out
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestDeflateUpgrade: websocket.upgrade with permessage_deflate answers a
// compressing gorilla client; messages cross compressed both ways.
func TestDeflateUpgrade(t *testing.T) {
	port := freePort(t)
	startScript(t, "testdata/deflate_echo_server.lua", strconv.Itoa(port))
	var in, out atomic.Int64
	d := websocket.Dialer{
		EnableCompression: true,
		NetDial: func(network, addr string) (net.Conn, error) {
			c, err := net.Dial(network, addr)
			if err != nil {
				return nil, err
			}
			return countConn{c, &in, &out}, nil
		},
	}
	url := "ws://127.0.0.1:" + strconv.Itoa(port) + "/ws"
	var gc *websocket.Conn
	var resp *http.Response
	var err error
	for i := 0; i < 100; i++ { // the script may still be starting
		if gc, resp, err = d.Dial(url, nil); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer gc.Close()
	if ext := resp.Header.Get("Sec-WebSocket-Extensions"); !strings.HasPrefix(ext, "permessage-deflate") {
		t.Fatalf("Sec-WebSocket-Extensions %q: deflate not accepted", ext)
	}
	big := bytes.Repeat([]byte("the quick brown fox jumps over the lazy dog. "), 20000) // 900 KB
	gc.SetReadDeadline(time.Now().Add(20 * time.Second))
	for _, m := range [][]byte{[]byte("hi"), big, []byte(strings.Repeat("é", 500))} {
		in0, out0 := in.Load(), out.Load()
		if err := gc.WriteMessage(websocket.TextMessage, m); err != nil {
			t.Fatal(err)
		}
		typ, got, err := gc.ReadMessage()
		if err != nil || typ != websocket.TextMessage || !bytes.Equal(got, m) {
			t.Fatalf("echo of %d bytes: %v (type %d, %d bytes)", len(m), err, typ, len(got))
		}
		if len(m) > 1000 && (in.Load()-in0 > int64(len(m))/10 || out.Load()-out0 > int64(len(m))/10) {
			t.Fatalf("%d bytes out, %d in for a %d-byte message: not compressed", out.Load()-out0, in.Load()-in0, len(m))
		}
	}
}

// TestDeflateConnect: websocket.connect with permessage_deflate offers it to
// a compressing gorilla server; the script checks its own side.
func TestDeflateConnect(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cl := &countListener{Listener: ln}
	negotiated := make(chan string, 1)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		up := websocket.Upgrader{EnableCompression: true}
		gc, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer gc.Close()
		negotiated <- r.Header.Get("Sec-WebSocket-Extensions")
		gc.SetCompressionLevel(6)
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
	srv.Listener = cl
	srv.Start()
	defer srv.Close()
	code, out := startScript(t, "testdata/deflate_client.lua", "ws://"+ln.Addr().String()+"/")
	select {
	case c := <-code:
		if c != 0 || !strings.Contains(out.String(), "deflate client ok") {
			t.Fatalf("client script exited %d:\n%s", c, out.String())
		}
	case <-time.After(60 * time.Second):
		t.Fatal("client script did not finish")
	}
	if ext := <-negotiated; !strings.Contains(ext, "permessage-deflate") {
		t.Fatalf("the client offered %q", ext)
	}
	if in, o := cl.in.Load(), cl.out.Load(); in > 100000 || o > 100000 {
		t.Fatalf("gorilla saw %d bytes in, %d out for a 1 MB echo: not compressed", in, o)
	}
}

// BenchmarkPipelinedEcho: one client sends 64 small frames back to back,
// then reads the 64 echoes, against the eco echo script. Frames that arrive
// together are parsed by recv_frame without a VM token handoff.
//
//	go test -run '^$' -bench PipelinedEcho ./luamod/eco/websocket/
func BenchmarkPipelinedEcho(b *testing.B) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	out := &syncbuf.Buffer{}
	rt := runtime.New(runtime.WithStdout(out), runtime.WithStderr(out))
	luamod.Register(rt)
	rt.RunFile("testdata/deflate_echo_server.lua", strconv.Itoa(port))
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		rt.Close(ctx)
	}()
	var gc *websocket.Conn
	for i := 0; i < 100; i++ {
		if gc, _, err = websocket.DefaultDialer.Dial("ws://127.0.0.1:"+strconv.Itoa(port)+"/", nil); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		b.Fatal(err)
	}
	defer gc.Close()
	msg := []byte("0123456789abcdef0123456789abcdef")
	const burst = 64
	b.SetBytes(int64(len(msg)))
	b.ResetTimer()
	for i := 0; i < b.N; i += burst {
		n := min(burst, b.N-i)
		for j := 0; j < n; j++ {
			if err := gc.WriteMessage(websocket.BinaryMessage, msg); err != nil {
				b.Fatal(err)
			}
		}
		for j := 0; j < n; j++ {
			if _, p, err := gc.ReadMessage(); err != nil || len(p) != len(msg) {
				b.Fatal(err)
			}
		}
	}
}
