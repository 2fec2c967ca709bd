package http

import (
	"bufio"
	"io"
	"net"
	"strings"
	"testing"
)

func TestIsUpgradeGet(t *testing.T) {
	for _, tc := range []struct {
		head string
		want bool
	}{
		{"GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n", true},
		{"GET /ws HTTP/1.1\r\nhost: x\r\nuPgRaDe: websocket\r\n\r\n", true},
		{"GET /ws HTTP/1.1\r\nHost: x\r\nX-Upgrade: websocket\r\n\r\n", false},
		{"GET /ws HTTP/1.1\r\nHost: x\r\n\r\n", false},
		{"GET /ws HTTP/1.0\r\nUpgrade: websocket\r\n\r\n", false},
		{"POST /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\n", false},
		{"HEAD /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\n", false},
	} {
		if got := isUpgradeGet([]byte(tc.head)); got != tc.want {
			t.Errorf("isUpgradeGet(%q) = %v, want %v", tc.head, got, tc.want)
		}
	}
}

// peekFrom runs peekHead on what the far end of a pipe writes.
func peekFrom(t *testing.T, size int, sent string) (head []byte, br *bufio.Reader, err error) {
	t.Helper()
	c, s := net.Pipe()
	defer c.Close()
	go func() {
		_, _ = io.WriteString(s, sent)
		s.Close()
	}()
	br = bufio.NewReaderSize(c, size)
	head, err = peekHead(br)
	return head, br, err
}

func TestPeekHead(t *testing.T) {
	req := "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n"
	// the head, in pieces, followed by more bytes: nothing is consumed
	head, br, err := peekFrom(t, 4096, req+"rest")
	if err != nil || string(head) != req {
		t.Fatalf("head %q, %v", head, err)
	}
	if br.Buffered() < len(req) {
		t.Fatalf("head consumed: %d buffered", br.Buffered())
	}
	// a head longer than the buffer and bare line feeds are left to net/http
	long := "GET / HTTP/1.1\r\nX: " + strings.Repeat("a", 200) + "\r\n\r\n"
	if head, _, err := peekFrom(t, 64, long); head != nil || err != nil {
		t.Fatalf("long head: %q, %v", head, err)
	}
	if head, _, err := peekFrom(t, 4096, "GET / HTTP/1.1\nHost: x\n\n"); head != nil || err != nil {
		t.Fatalf("bare LF: %q, %v", head, err)
	}
	// a connection that ends before the head does is an error
	if _, _, err := peekFrom(t, 4096, "GET / HTTP/1.1\r\nHost"); err == nil {
		t.Fatal("truncated head: no error")
	}
}

func TestPrefixConnReadsPrefixFirst(t *testing.T) {
	c, s := net.Pipe()
	defer c.Close()
	go func() {
		_, _ = io.WriteString(s, " world")
		s.Close()
	}()
	pc := &prefixConn{Conn: c, prefix: []byte("hello")}
	got, err := io.ReadAll(pc)
	if err != nil || string(got) != "hello world" {
		t.Fatalf("read %q, %v", got, err)
	}
}

// A half-close through prefixConn reaches the peer (net/http relies on it
// before closing a connection), and ReadFrom writes through to the socket.
func TestPrefixConnCloseWriteAndReadFrom(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	client, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	server := <-accepted
	defer server.Close()
	pc := &prefixConn{Conn: server}
	if _, err := pc.ReadFrom(strings.NewReader("body")); err != nil {
		t.Fatal(err)
	}
	if err := pc.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(client) // EOF only if the half-close went through
	if err != nil || string(got) != "body" {
		t.Fatalf("peer read %q, %v", got, err)
	}
	// The read side is still open after the half-close.
	if _, err := client.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 1)
	if _, err := io.ReadFull(pc, b); err != nil || b[0] != 'x' {
		t.Fatalf("read after CloseWrite: %q, %v", b, err)
	}
}

// A connection that does not start with a GET (a TLS hello to a plain
// server) goes to net/http at once, without waiting for a blank line.
func TestPeekHeadNotGet(t *testing.T) {
	c, s := net.Pipe()
	defer c.Close()
	defer s.Close()
	go func() { _, _ = io.WriteString(s, "\x16\x03\x01\x02\x00\x01") }()
	head, err := peekHead(bufio.NewReaderSize(c, 4096))
	if head != nil || err != nil {
		t.Fatalf("TLS hello: %q, %v", head, err)
	}
}
