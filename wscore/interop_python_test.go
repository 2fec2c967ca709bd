package wscore

// Interoperability with Python's websockets library (issue #3), both
// directions, with and without permessage-deflate. The peers are the
// scripts in testdata/python, run by the first python3 that can import
// websockets ($PYTHON, else PATH; Debian package python3-websockets); the
// tests skip (fail under CI) when there is none.

import (
	"bufio"
	"bytes"
	"context"
	"math/rand"
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/internal/testpeer"
)

// needPythonWebsockets returns a python3 that has websockets, or skips.
func needPythonWebsockets(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: skipping the Python interop tests")
	}
	return testpeer.Find(t, testpeer.Python())
}

func compressionName(on bool) string {
	if on {
		return "deflate"
	}
	return "plain"
}

// TestInteropPythonServer: a wscore client against websockets' server.
func TestInteropPythonServer(t *testing.T) {
	pythonPath := needPythonWebsockets(t)
	for _, deflate := range []bool{false, true} {
		t.Run(compressionName(deflate), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, pythonPath, "testdata/python/echo_server.py", compressionName(deflate))
			stdin, _ := cmd.StdinPipe()
			stdout, _ := cmd.StdoutPipe()
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer func() {
				stdin.Close() // the server stops when stdin closes
				if err := cmd.Wait(); err != nil {
					t.Errorf("python server: %v\n%s", err, stderr.String())
				}
			}()
			port, err := bufio.NewReader(stdout).ReadString('\n')
			if err != nil {
				t.Fatalf("python server did not start: %v\n%s", err, stderr.String())
			}
			url := "ws://127.0.0.1:" + strings.TrimSpace(port) + "/"
			pythonServerChecks(t, ctx, url, deflate)
		})
	}
}

func pythonServerChecks(t *testing.T, ctx context.Context, url string, deflate bool) {
	var wireIn atomic.Int64
	dopts := &DialOptions{
		Conn: Options{MaxFramePayload: 32 << 20, MaxMessageSize: 64 << 20, AutoPong: true},
		NetDialer: func(ctx context.Context, network, addr string) (net.Conn, error) {
			var d net.Dialer
			nc, err := d.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return &inCounter{Conn: nc, n: &wireIn}, nil
		},
	}
	if deflate {
		dopts.Compression = &CompressionOptions{}
	}
	c, _, err := Dial(ctx, url, dopts)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	c.SetDeadline(time.Now().Add(60 * time.Second))
	if c.Compressed() != deflate {
		t.Fatalf("Compressed() = %v", c.Compressed())
	}
	expect := func(what string, wantOp Opcode, want []byte) {
		t.Helper()
		op, got, err := c.ReadMessage()
		for err == nil && (op == OpPing || op == OpPong) && wantOp != op {
			op, got, err = c.ReadMessage()
		}
		if err != nil || op != wantOp || !bytes.Equal(got, want) {
			t.Fatalf("%s: %v, op %v, %d bytes (want %d)", what, err, op, len(got), len(want))
		}
	}
	send := func(op Opcode, p []byte) {
		t.Helper()
		if err := c.WriteMessage(op, p); err != nil {
			t.Fatal(err)
		}
	}

	send(OpText, []byte("hello, wörld"))
	expect("text", OpText, []byte("hello, wörld"))
	bin := make([]byte, 1000)
	for i := range bin {
		bin[i] = byte(i)
	}
	send(OpBinary, bin)
	expect("binary", OpBinary, bin)

	for _, f := range []struct {
		fin bool
		op  Opcode
		p   string
	}{{false, OpText, "frag"}, {false, OpContinuation, "men\xe2\x9c"}, {true, OpContinuation, "\x93"}} {
		if _, err := c.WriteFrame(f.fin, f.op, []byte(f.p)); err != nil {
			t.Fatal(err)
		}
	}
	expect("fragmented text (UTF-8 split across fragments)", OpText, []byte("fragmen✓"))
	send(OpText, []byte("frag-me"))
	expect("fragmented from python", OpText, []byte("pyfragments"))

	big := make([]byte, 16<<20)
	rand.New(rand.NewSource(1)).Read(big)
	send(OpBinary, big)
	expect("16 MiB", OpBinary, big)

	text := bytes.Repeat([]byte("compressible text "), 60000)
	in0 := wireIn.Load()
	send(OpText, text)
	expect("compressible text", OpText, text)
	if got := wireIn.Load() - in0; deflate && got > int64(len(text))/10 {
		t.Fatalf("%d bytes received for a %d-byte echo: python did not compress", got, len(text))
	}

	if err := c.Ping([]byte("go-ping")); err != nil {
		t.Fatal(err)
	}
	expect("pong", OpPong, []byte("go-ping"))
	send(OpText, []byte("ping-me"))
	expect("python's ping", OpPing, []byte("py"))
	expect("after our auto pong", OpText, []byte("got-pong"))

	if err := c.Close(4001, "bye"); err != nil {
		t.Fatal(err)
	}
	if code, _, ok := c.PeerClose(); !ok || code != 4001 {
		t.Fatalf("python answered close with %d (%v), want 4001", code, ok)
	}

	c2, _, err := Dial(ctx, url, dopts)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.CloseNow()
	c2.SetDeadline(time.Now().Add(20 * time.Second))
	c2.WriteMessage(OpText, []byte("close-me"))
	op, p, err := c2.ReadMessage()
	if err != nil || op != OpClose {
		t.Fatalf("close-me: %v %v", op, err)
	}
	if code, reason, _ := ParseClosePayload(p); code != 4003 || reason != "py bye" {
		t.Fatalf("python closed with %d %q", code, reason)
	}
	c2.Close(0, "")
}

// inCounter counts received bytes into a shared counter.
type inCounter struct {
	net.Conn
	n *atomic.Int64
}

func (c *inCounter) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// TestInteropPythonClient: websockets' client against a wscore server.
func TestInteropPythonClient(t *testing.T) {
	pythonPath := needPythonWebsockets(t)
	for _, deflate := range []bool{false, true} {
		t.Run(compressionName(deflate), func(t *testing.T) {
			aopts := &AcceptOptions{Conn: Options{MaxFramePayload: 32 << 20, MaxMessageSize: 64 << 20}}
			if deflate {
				aopts.Compression = &CompressionOptions{}
			}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				c, err := Accept(w, r, aopts)
				if err != nil {
					return
				}
				defer c.CloseNow()
				c.SetReadDeadline(time.Now().Add(60 * time.Second))
				for {
					op, p, err := c.ReadMessage()
					if err != nil {
						return
					}
					switch {
					case op == OpPing:
						c.Pong(p)
					case op == OpText && string(p) == "ping-me":
						c.Ping([]byte("srv"))
						for {
							op, p, err = c.ReadMessage()
							if err != nil {
								return
							}
							if op == OpPong && string(p) == "srv" {
								break
							}
						}
						c.WriteMessage(OpText, []byte("got-pong"))
					case op == OpText && string(p) == "close-me":
						c.Close(4002, "server bye")
						return
					case op == OpText || op == OpBinary:
						if err := c.WriteMessage(op, p); err != nil {
							return
						}
					}
				}
			}))
			defer srv.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
			defer cancel()
			out, err := exec.CommandContext(ctx, pythonPath, "testdata/python/echo_client.py", "ws"+strings.TrimPrefix(srv.URL, "http")+"/", compressionName(deflate)).CombinedOutput()
			if err != nil || !strings.Contains(string(out), "OK") {
				t.Fatalf("python client: %v\n%s", err, out)
			}
		})
	}
}
