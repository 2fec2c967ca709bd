package wscore

import (
	"bufio"
	"encoding/binary"
	"io"
	"net"
	"testing"
	"time"
)

// tcpPair returns two ends of a real loopback TCP connection.
func tcpPair(t testing.TB) (net.Conn, net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	ch := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			ch <- nil
			return
		}
		ch <- c
	}()
	a, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	b := <-ch
	if b == nil {
		t.Fatal("accept failed")
	}
	t.Cleanup(func() { a.Close(); b.Close() })
	return a, b
}

// rawFrame encodes a frame independently of putHeader (byte by byte, as the
// RFC draws it). length < 0 means len(payload); a non-nil key masks.
func rawFrame(fin bool, rsv byte, op byte, payload []byte, key []byte) []byte {
	b0 := op | rsv<<4
	if fin {
		b0 |= 0x80
	}
	out := []byte{b0}
	var m byte
	if key != nil {
		m = 0x80
	}
	n := len(payload)
	switch {
	case n < 126:
		out = append(out, m|byte(n))
	case n < 65536:
		out = append(out, m|126, byte(n>>8), byte(n))
	default:
		out = append(out, m|127)
		out = binary.BigEndian.AppendUint64(out, uint64(n))
	}
	if key != nil {
		out = append(out, key...)
		for i, c := range payload {
			out = append(out, c^key[i%4])
		}
		return out
	}
	return append(out, payload...)
}

var testKey = []byte{0x37, 0xfa, 0x21, 0x3d}

// cframe is a masked (client) frame.
func cframe(fin bool, op byte, payload []byte) []byte {
	return rawFrame(fin, 0, op, payload, testKey)
}

// readRaw reads one (unmasked or masked) frame from a raw peer.
func readRaw(t testing.TB, br *bufio.Reader) (fin bool, op byte, payload []byte) {
	t.Helper()
	var h [2]byte
	if _, err := io.ReadFull(br, h[:]); err != nil {
		t.Fatalf("raw read header: %v", err)
	}
	n := uint64(h[1] & 0x7f)
	switch n {
	case 126:
		var e [2]byte
		io.ReadFull(br, e[:])
		n = uint64(binary.BigEndian.Uint16(e[:]))
	case 127:
		var e [8]byte
		io.ReadFull(br, e[:])
		n = binary.BigEndian.Uint64(e[:])
	}
	var key []byte
	if h[1]&0x80 != 0 {
		key = make([]byte, 4)
		io.ReadFull(br, key)
	}
	payload = make([]byte, n)
	if _, err := io.ReadFull(br, payload); err != nil {
		t.Fatalf("raw read payload: %v", err)
	}
	for i := range payload {
		if key != nil {
			payload[i] ^= key[i%4]
		}
	}
	return h[0]&0x80 != 0, h[0] & 0x0f, payload
}

// serverWithRawClient returns a server-side Conn and the raw client socket.
func serverWithRawClient(t testing.TB, opts *Options) (*Conn, net.Conn, *bufio.Reader) {
	a, b := tcpPair(t)
	c := NewConn(a, nil, false, opts)
	t.Cleanup(func() { c.CloseNow() })
	_ = b.SetDeadline(time.Now().Add(10 * time.Second))
	return c, b, bufio.NewReader(b)
}

// clientWithRawServer returns a client-side Conn and the raw server socket.
func clientWithRawServer(t testing.TB, opts *Options) (*Conn, net.Conn, *bufio.Reader) {
	a, b := tcpPair(t)
	c := NewConn(a, nil, true, opts)
	t.Cleanup(func() { c.CloseNow() })
	_ = b.SetDeadline(time.Now().Add(10 * time.Second))
	return c, b, bufio.NewReader(b)
}

func closePayload(code int, reason string) []byte {
	b := binary.BigEndian.AppendUint16(nil, uint16(code))
	return append(b, reason...)
}

func asBufio(r interface{ Read([]byte) (int, error) }) *bufio.Reader {
	if b, ok := r.(*bufio.Reader); ok {
		return b
	}
	return bufio.NewReader(r)
}

func io_ReadFull(r io.Reader, b []byte) (int, error) { return io.ReadFull(r, b) }
