package wscore

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestWriteFrameBytesAndMasking(t *testing.T) {
	s, _, sbr := serverWithRawClient(t, nil)
	n, err := s.WriteFrame(true, OpText, []byte("hello"))
	if err != nil || n != 7 {
		t.Fatalf("server WriteFrame = %d, %v; want 7", n, err)
	}
	fin, op, p := readRaw(t, sbr)
	if !fin || op != 1 || string(p) != "hello" {
		t.Fatal(fin, op, p)
	}
	c, raw, cbr := clientWithRawServer(t, nil)
	msg := []byte("hello")
	n, err = c.WriteFrame(true, OpBinary, msg)
	if err != nil || n != 11 {
		t.Fatalf("client WriteFrame = %d, %v; want 11", n, err)
	}
	if string(msg) != "hello" {
		t.Fatal("caller's payload was modified")
	}
	var h [2]byte
	cbr.Read(h[:1])
	cbr.Read(h[1:])
	if h[1]&0x80 == 0 {
		t.Fatal("client frame not masked")
	}
	_ = raw
	// Length encodings on the wire are minimal, for both roles and sizes
	// spanning the write buffer.
	for _, size := range []int{0, 125, 126, 65535, 65536, 100000} {
		payload := bytes.Repeat([]byte{0xa5}, size)
		for _, client := range []bool{false, true} {
			var w *Conn
			var br *bufio.Reader
			if client {
				w, _, br = clientWithRawServer(t, nil)
			} else {
				w, _, br = serverWithRawClient(t, nil)
			}
			go w.WriteFrame(true, OpBinary, payload)
			b0, _ := br.ReadByte()
			b1, _ := br.ReadByte()
			br.UnreadByte()
			br2 := bufio.NewReader(bytes.NewReader(append([]byte{b0, b1}, mustRead(t, br, headerSize(size, client)-2+size+0)...)))
			_, _, got := readRaw(t, br2)
			wantLen := byte(size)
			switch {
			case size > 65535:
				wantLen = 127
			case size > 125:
				wantLen = 126
			}
			if b1&0x7f != wantLen || !bytes.Equal(got, payload) {
				t.Fatalf("size %d client %v: length byte %d, payload ok %v", size, client, b1&0x7f, bytes.Equal(got, payload))
			}
		}
	}
}

func mustRead(t *testing.T, br *bufio.Reader, n int) []byte {
	t.Helper()
	br.ReadByte() // skip the unread b1
	b := make([]byte, n)
	if _, err := io_ReadFull(br, b); err != nil {
		t.Fatal(err)
	}
	return b
}

func TestWriteRefusals(t *testing.T) {
	c, _, _ := serverWithRawClient(t, &Options{MaxFramePayload: 10})
	check := func(name string, err, want error) {
		t.Helper()
		if !errors.Is(err, want) {
			t.Errorf("%s: %v, want %v", name, err, want)
		}
	}
	_, err := c.WriteFrame(true, 3, nil)
	check("reserved opcode", err, ErrBadOpcode)
	_, err = c.WriteFrame(true, OpPing, make([]byte, 126))
	check("big ping", err, ErrControlTooLarge)
	_, err = c.WriteFrame(false, OpPing, nil)
	check("fragmented ping", err, ErrControlTooLarge)
	_, err = c.WriteFrame(true, OpBinary, make([]byte, 11))
	check("over MaxFramePayload", err, ErrFrameTooLarge)
	_, err = c.WriteFrame(true, OpContinuation, nil)
	check("continuation first", err, ErrBadSequence)
	if _, err = c.WriteFrame(false, OpText, []byte("a")); err != nil {
		t.Fatal(err)
	}
	_, err = c.WriteFrame(true, OpText, nil)
	check("text inside message", err, ErrBadSequence)
	_, err = c.WriteFrame(true, OpClose, closePayload(1005, ""))
	check("close 1005", err, ErrInvalidCloseCode)
	if _, err = c.WriteFrame(true, OpContinuation, []byte("b")); err != nil {
		t.Fatal(err)
	}
	if _, err = c.WriteFrame(true, OpClose, closePayload(1000, "")); err != nil {
		t.Fatal(err)
	}
	_, err = c.WriteFrame(true, OpText, nil)
	check("after close", err, ErrCloseSent)
	check("WriteMessage after close", c.WriteMessage(OpText, nil), ErrCloseSent)
}

func TestWriteMessageFragments(t *testing.T) {
	c, _, br := serverWithRawClient(t, &Options{FragmentSize: 4})
	go c.WriteMessage(OpText, []byte("abcdefghij"))
	want := []struct {
		fin bool
		op  byte
		p   string
	}{{false, 1, "abcd"}, {false, 0, "efgh"}, {true, 0, "ij"}}
	for _, w := range want {
		fin, op, p := readRaw(t, br)
		if fin != w.fin || op != w.op || string(p) != w.p {
			t.Fatalf("got %v %d %q want %+v", fin, op, p, w)
		}
	}
}

// TestConcurrentWriters: many goroutines write fragmented messages and
// pings at once; every message arrives whole and uninterleaved.
func TestConcurrentWriters(t *testing.T) {
	a, b := tcpPair(t)
	w := NewConn(a, nil, false, &Options{FragmentSize: 7})
	r := NewConn(b, nil, true, nil)
	defer w.CloseNow()
	defer r.CloseNow()
	const writers, each = 6, 100
	var wg sync.WaitGroup
	for g := 0; g < writers; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				msg := fmt.Sprintf("writer %d message %d %s", g, i, bytes.Repeat([]byte{'x'}, i))
				if err := w.WriteMessage(OpText, []byte(msg)); err != nil {
					t.Error(err)
					return
				}
			}
		}(g)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 50; i++ {
			if err := w.Ping([]byte("p")); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	next := make([]int, writers)
	pings := 0
	r.SetReadDeadline(time.Now().Add(20 * time.Second))
	for n := 0; n < writers*each+50; n++ {
		op, p, err := r.ReadMessage()
		if err != nil {
			t.Fatal(err)
		}
		if op == OpPing {
			pings++
			continue
		}
		var g, i int
		fmt.Sscanf(string(p), "writer %d message %d", &g, &i)
		want := fmt.Sprintf("writer %d message %d %s", g, i, bytes.Repeat([]byte{'x'}, i))
		if string(p) != want || i != next[g] {
			t.Fatalf("got %q, want message %d of writer %d", p, next[g], g)
		}
		next[g]++
	}
	wg.Wait()
	if pings != 50 {
		t.Fatalf("%d pings", pings)
	}
}

func TestCloseHandshake(t *testing.T) {
	c, raw, br := serverWithRawClient(t, &Options{CloseTimeout: 2 * time.Second})
	done := make(chan error, 1)
	go func() { done <- c.Close(4000, "bye") }()
	_, op, p := readRaw(t, br)
	if op != 8 || binary.BigEndian.Uint16(p) != 4000 || string(p[2:]) != "bye" {
		t.Fatalf("close frame op %d % x", op, p)
	}
	raw.Write(cframe(true, 8, closePayload(4000, "")))
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.Done():
	default:
		t.Fatal("TCP not closed")
	}
	if code, _, ok := c.PeerClose(); !ok || code != 4000 {
		t.Fatal("peer close not recorded")
	}
	if _, err := raw.Read(make([]byte, 1)); err == nil {
		t.Fatal("raw peer still connected")
	}
}

func TestCloseTimesOutWithSilentPeer(t *testing.T) {
	c, _, _ := serverWithRawClient(t, &Options{CloseTimeout: 100 * time.Millisecond})
	done := make(chan error, 1)
	go func() { done <- c.Close(1000, "") }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return")
	}
}

func TestCloseWithBlockedReader(t *testing.T) {
	c, raw, br := serverWithRawClient(t, &Options{CloseTimeout: 2 * time.Second})
	readErr := make(chan error, 1)
	go func() {
		for {
			f, err := c.ReadFrame()
			if err != nil {
				readErr <- err
				return
			}
			if f.Opcode == OpClose {
				readErr <- nil
				return
			}
		}
	}()
	time.Sleep(20 * time.Millisecond) // let the reader block
	done := make(chan error, 1)
	go func() { done <- c.Close(1001, "") }()
	readRaw(t, br)
	raw.Write(cframe(true, 8, closePayload(1001, "")))
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := <-readErr; err != nil {
		t.Fatalf("reader: %v", err)
	}
}

func TestCloseEchoesPeerCode(t *testing.T) {
	c, raw, br := serverWithRawClient(t, &Options{ManualCloseReply: true})
	raw.Write(cframe(true, 8, closePayload(3001, "x")))
	if f, err := c.ReadFrame(); err != nil || f.Opcode != OpClose {
		t.Fatal(err)
	}
	if c.CloseSent() {
		t.Fatal("ManualCloseReply still echoed")
	}
	go c.Close(1000, "ignored")
	_, op, p := readRaw(t, br)
	if op != 8 || binary.BigEndian.Uint16(p) != 3001 {
		t.Fatalf("echo op %d % x", op, p)
	}
}

func TestKeepalivePongTimeout(t *testing.T) {
	c, _, br := serverWithRawClient(t, &Options{PingInterval: 30 * time.Millisecond, PongTimeout: 50 * time.Millisecond})
	go func() {
		for { // a peer that reads but never answers pings
			var b [64]byte
			if _, err := br.Read(b[:]); err != nil {
				return
			}
		}
	}()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, err := c.ReadFrame()
	if !errors.Is(err, ErrPongTimeout) {
		t.Fatalf("err %v, want ErrPongTimeout", err)
	}
}

func TestKeepaliveWithPongs(t *testing.T) {
	a, b := tcpPair(t)
	s := NewConn(a, nil, false, &Options{PingInterval: 20 * time.Millisecond, PongTimeout: 500 * time.Millisecond})
	cl := NewConn(b, nil, true, &Options{AutoPong: true})
	defer s.CloseNow()
	defer cl.CloseNow()
	go func() {
		for {
			if _, err := cl.ReadFrame(); err != nil {
				return
			}
		}
	}()
	pongs := 0
	s.SetReadDeadline(time.Now().Add(5 * time.Second))
	for pongs < 5 {
		f, err := s.ReadFrame()
		if err != nil {
			t.Fatal(err)
		}
		if f.Opcode == OpPong {
			pongs++
		}
	}
}

func TestWriteDeadline(t *testing.T) {
	c, _, _ := serverWithRawClient(t, nil)
	c.SetWriteDeadline(time.Now().Add(50 * time.Millisecond))
	big := make([]byte, 1<<20)
	var err error
	for i := 0; i < 200 && err == nil; i++ { // the peer never reads: the socket fills
		_, err = c.WriteFrame(true, OpBinary, big)
	}
	if !isTimeout(err) {
		t.Fatalf("err %v, want a timeout", err)
	}
}

func TestFrameSizeIsWhatWriteFrameReturns(t *testing.T) {
	// Up to the default frame limit: 0, 7-bit, 16-bit lengths.
	for _, size := range []int{0, 125, 126, 65535} {
		for _, client := range []bool{false, true} {
			var w *Conn
			var br *bufio.Reader
			if client {
				w, _, br = clientWithRawServer(t, nil)
			} else {
				w, _, br = serverWithRawClient(t, nil)
			}
			done := make(chan int, 1)
			go func() {
				n, _ := w.WriteFrame(true, OpBinary, make([]byte, size))
				done <- n
			}()
			if _, err := io_ReadFull(br, make([]byte, FrameSize(size, client))); err != nil {
				t.Fatal(err)
			}
			if n := <-done; n == 0 || n != FrameSize(size, client) {
				t.Fatalf("size %d client %v: WriteFrame %d, FrameSize %d", size, client, n, FrameSize(size, client))
			}
		}
	}
}

func TestDataWriteErrAfterCloseSent(t *testing.T) {
	s, _, sbr := serverWithRawClient(t, nil)
	if err := s.DataWriteErr(); err != nil {
		t.Fatalf("fresh conn: %v", err)
	}
	go func() { _, _ = s.WriteFrame(true, OpClose, []byte{0x03, 0xe8}) }()
	readRaw(t, sbr)
	deadline := time.Now().Add(5 * time.Second)
	for s.DataWriteErr() == nil && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if err := s.DataWriteErr(); !errors.Is(err, ErrCloseSent) {
		t.Fatalf("after the close frame: %v", err)
	}
	if _, err := s.WriteFrame(true, OpText, []byte("x")); !errors.Is(err, ErrCloseSent) {
		t.Fatalf("WriteFrame after close: %v", err)
	}
}
