package wscore

import (
	"bytes"
	"errors"
	"io"
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// chunkConn serves data at most chunk bytes per Read and counts Reads and
// Writes, to check which read calls touch the connection.
// A failing Conn's linger goroutine reads it too, hence the lock.
type chunkConn struct {
	fuzzConn
	mu            sync.Mutex
	data          []byte
	chunk         int
	reads, writes int
}

func (c *chunkConn) Read(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reads++
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := min(len(p), c.chunk, len(c.data))
	copy(p, c.data[:n])
	c.data = c.data[n:]
	return n, nil
}

func (c *chunkConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.writes++
	return len(p), nil
}

func (c *chunkConn) counts() (reads, writes int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reads, c.writes
}

// TestBufferedProbeNeverLies reads many frame streams, delivered in chunks of
// several sizes, at both levels, and checks the promise of FrameBuffered and
// MessageBuffered: when they say true, the read neither reads nor writes the
// connection (a protocol error may still write its close frame).
func TestBufferedProbeNeverLies(t *testing.T) {
	big := bytes.Repeat([]byte("y"), 3000)
	streams := [][]byte{
		bytes.Join([][]byte{cframe(true, 1, []byte("one")), cframe(true, 2, []byte("two")), cframe(true, 9, []byte("p")), cframe(true, 10, nil)}, nil),
		bytes.Join([][]byte{cframe(false, 1, []byte("frag")), cframe(true, 9, nil), cframe(false, 0, []byte("men")), cframe(true, 0, []byte("ted"))}, nil),
		bytes.Join([][]byte{cframe(true, 2, big), cframe(true, 2, big), cframe(true, 1, []byte("é"))}, nil),
		bytes.Join([][]byte{cframe(true, 1, []byte("a")), cframe(true, 8, closePayload(1000, "bye"))}, nil),
		bytes.Join([][]byte{cframe(true, 1, []byte("a")), {0x83, 0x80, 1, 2, 3, 4}}, nil),      // reserved opcode
		bytes.Join([][]byte{cframe(true, 1, []byte("a")), cframe(true, 1, []byte{0xff})}, nil), // bad UTF-8
		bytes.Join([][]byte{cframe(true, 1, []byte("a")), rawFrame(true, 4, 2, deflateRaw(t, []byte("zip zip zip zip")), testKey)}, nil),
		bytes.Join([][]byte{cframe(false, 2, big), cframe(false, 0, big), cframe(true, 0, big)}, nil),
	}
	optsList := []Options{{}, {AutoPong: true}, {ManualCloseReply: true}, {ReadBufferSize: 256}}
	fast := 0
	for si, stream := range streams {
		for _, chunk := range []int{1, 7, 100, 1 << 20} {
			for oi, o := range optsList {
				for _, message := range []bool{false, true} {
					cc := &chunkConn{data: stream, chunk: chunk}
					o := o
					c := newConn(cc, nil, false, &o, "", newDeflateState(deflateParams{}, false, nil))
					for i := 0; i < 20; i++ {
						probe := c.FrameBuffered()
						if message {
							probe = c.MessageBuffered()
						}
						r0, w0 := cc.counts()
						var err error
						if message {
							_, _, err = c.ReadMessage()
						} else {
							_, err = c.ReadFrame()
						}
						if probe {
							fast++
						}
						r1, w1 := cc.counts()
						// A protocol error writes its close frame, and the
						// linger goroutine it starts reads the connection on:
						// neither is the read's own.
						var pe *ProtocolError
						if probe && (r1 != r0 || w1 != w0) && !errors.As(err, &pe) {
							t.Fatalf("stream %d chunk %d opts %d message %v read %d: probe said buffered, but the read did %d reads, %d writes (err %v)",
								si, chunk, oi, message, i, r1-r0, w1-w0, err)
						}
						if errors.As(err, &pe) {
							break // the linger goroutine reads on
						}
						if err != nil {
							if !c.FrameBuffered() || !c.MessageBuffered() {
								t.Fatalf("stream %d: after error %v the probe says not buffered", si, err)
							}
							break
						}
					}
				}
			}
		}
	}
	if fast < 100 {
		t.Fatalf("only %d reads were found buffered: the test does not exercise the probes", fast)
	}
}

// TestBufferedProbeCases checks what the probes report in the situations a
// binding meets.
func TestBufferedProbeCases(t *testing.T) {
	newC := func(o Options, frames ...[]byte) (*Conn, *chunkConn) {
		cc := &chunkConn{data: bytes.Join(frames, nil), chunk: 1 << 20}
		return newConn(cc, nil, false, &o, "", nil), cc
	}
	c, _ := newC(Options{}, cframe(true, 1, []byte("a")))
	if c.FrameBuffered() || c.MessageBuffered() {
		t.Fatal("nothing read yet, but the probe says buffered")
	}
	c, _ = newC(Options{}, cframe(true, 1, []byte("a")), cframe(true, 2, []byte("b")), cframe(true, 2, []byte("c"))[:3])
	if f, err := c.ReadFrame(); err != nil || string(f.Payload) != "a" {
		t.Fatal(f, err)
	}
	if !c.FrameBuffered() || !c.MessageBuffered() {
		t.Fatal("second frame is buffered, probe says no")
	}
	if f, err := c.ReadFrame(); err != nil || string(f.Payload) != "b" {
		t.Fatal(f, err)
	}
	if c.FrameBuffered() || c.MessageBuffered() {
		t.Fatal("only part of the third frame is buffered, probe says yes")
	}

	// A fragmented message: the frame level sees the first fragment, the
	// message level needs all of them.
	c, _ = newC(Options{}, cframe(true, 1, []byte("x")), cframe(false, 1, []byte("he")), cframe(true, 0, []byte("llo"))[:4])
	c.ReadFrame()
	if !c.FrameBuffered() || c.MessageBuffered() {
		t.Fatalf("fragment probes: frame %v message %v, want true false", c.FrameBuffered(), c.MessageBuffered())
	}

	for _, tc := range []struct {
		name  string
		o     Options
		frame []byte
		want  bool
	}{
		{"ping", Options{}, cframe(true, 9, []byte("p")), true},
		{"ping with AutoPong answers", Options{AutoPong: true}, cframe(true, 9, []byte("p")), false},
		{"close echoed", Options{}, cframe(true, 8, closePayload(1000, "")), false},
		{"close with ManualCloseReply", Options{ManualCloseReply: true}, cframe(true, 8, closePayload(1000, "")), true},
		{"reserved opcode", Options{}, []byte{0x83, 0x80, 1, 2, 3, 4}, false},
		{"unmasked from a client", Options{}, rawFrame(true, 0, 1, []byte("a"), nil), false},
		{"over the frame limit", Options{MaxFramePayload: 2}, cframe(true, 2, []byte("abc")), false},
	} {
		c, _ := newC(tc.o, cframe(true, 1, []byte("x")), tc.frame)
		c.ReadFrame()
		if got := c.FrameBuffered(); got != tc.want {
			t.Errorf("%s: FrameBuffered %v, want %v", tc.name, got, tc.want)
		}
	}

	// A failed connection answers at once.
	c, _ = newC(Options{}, cframe(true, 1, []byte("x")), []byte{0x83, 0x80, 1, 2, 3, 4})
	c.ReadFrame()
	if _, err := c.ReadFrame(); err == nil {
		t.Fatal("reserved opcode accepted")
	}
	if !c.FrameBuffered() {
		t.Fatal("failed connection: probe should report an immediate return")
	}
}

// TestIdleConnHoldsNoBuffer checks over real TCP and over a pipe (no raw
// socket) that a Conn waiting for its peer holds no read buffer, and that
// reads after the wait work.
func TestIdleConnHoldsNoBuffer(t *testing.T) {
	for _, kind := range []string{"tcp", "pipe"} {
		t.Run(kind, func(t *testing.T) {
			var a, b net.Conn
			if kind == "tcp" {
				a, b = tcpPair(t)
			} else {
				a, b = net.Pipe()
				defer a.Close()
				defer b.Close()
			}
			c := NewConn(a, nil, false, nil)
			if kind == "tcp" && c.raw == nil {
				if runtime.GOOS != "windows" && runtime.GOOS != "plan9" && runtime.GOOS != "js" && runtime.GOOS != "wasip1" {
					t.Fatal("TCP connection without the raw read path")
				}
			}
			go b.Write(append(cframe(true, 1, []byte("hello")), cframe(true, 2, bytes.Repeat([]byte("z"), 2000))...))
			for _, want := range []int{5, 2000} {
				f, err := c.ReadFrame()
				if err != nil || len(f.Payload) != want {
					t.Fatalf("read: %v (%d bytes)", err, len(f.Payload))
				}
			}
			c.SetReadDeadline(time.Now().Add(30 * time.Millisecond))
			if _, err := c.ReadFrame(); !isTimeout(err) {
				t.Fatalf("idle read: %v, want a timeout", err)
			}
			if c.rd.pb != nil || c.rd.buf != nil {
				t.Fatal("an idle Conn still holds its read buffer")
			}
			c.SetReadDeadline(time.Time{})
			go b.Write(cframe(true, 1, []byte("again")))
			if f, err := c.ReadFrame(); err != nil || string(f.Payload) != "again" {
				t.Fatalf("read after idle: %v %q", err, f.Payload)
			}
		})
	}
}

// BenchmarkIdleConn reports the heap held per idle server Conn over
// loopback TCP after one echoed message, both socket ends included (the
// client ends are raw sockets). It measures once whatever b.N is:
//
//	go test -run '^$' -bench IdleConn -benchtime 1x ./wscore/
func BenchmarkIdleConn(b *testing.B) {
	if b.N > 1 {
		b.Skip("measures once: run with -benchtime 1x")
	}
	const n = 500
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	var live atomic.Int64
	conns := make(chan *Conn, n)
	go func() {
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				c := NewConn(nc, nil, false, nil)
				conns <- c
				for {
					f, err := c.ReadFrame()
					if err != nil {
						return
					}
					live.Add(1)
					c.WriteFrame(true, f.Opcode, f.Payload)
				}
			}()
		}
	}()
	clients := make([]net.Conn, 0, n)
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapInuse
	}
	for i := 0; i < b.N; i++ {
		before := heap()
		for j := 0; j < n; j++ {
			cl, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				b.Fatal(err)
			}
			clients = append(clients, cl)
			cl.Write(cframe(true, 1, []byte("hello")))
			var buf [16]byte
			if _, err := io.ReadAtLeast(cl, buf[:], 7); err != nil {
				b.Fatal(err)
			}
		}
		after := heap()
		b.ReportMetric(float64(after-before)/n, "heap-B/conn")
	}
	for _, cl := range clients {
		cl.Close()
	}
	close(conns)
	for c := range conns {
		c.CloseNow()
	}
}
