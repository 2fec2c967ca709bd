package socket

import (
	"errors"
	"io"
	"net"
	"testing"
	"time"
)

// tcpPair returns both ends of a loopback TCP connection.
func tcpPair(t *testing.T) (net.Conn, net.Conn) {
	t.Helper()
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
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	s := <-accepted
	if s == nil {
		t.Fatal("accept failed")
	}
	t.Cleanup(func() { c.Close(); s.Close() })
	return c, s
}

// peerSeesClose reports whether the far end of a connection reads EOF.
func peerSeesClose(t *testing.T, peer net.Conn) bool {
	t.Helper()
	_ = peer.SetReadDeadline(time.Now().Add(2 * time.Second))
	_, err := peer.Read(make([]byte, 1))
	return errors.Is(err, io.EOF)
}

func TestRegistryClosesOpenSockets(t *testing.T) {
	reg := NewRegistry()
	a, aPeer := tcpPair(t)
	b, bPeer := tcpPair(t)
	c, cPeer := tcpPair(t)
	sa := WrapIn(reg, nil, a, nil)
	sb := WrapIn(reg, nil, b, []byte("buffered"))
	sc := WrapIn(reg, nil, c, nil)
	if sb.Buffered() != len("buffered") {
		t.Fatalf("buffered bytes: %d", sb.Buffered())
	}
	// a closed socket leaves the registry (from the middle and the head)
	if err := sb.Close(); err != nil {
		t.Fatal(err)
	}
	if err := sc.Close(); err != nil {
		t.Fatal(err)
	}
	if !peerSeesClose(t, bPeer) || !peerSeesClose(t, cPeer) {
		t.Fatal("Socket.Close did not close the connection")
	}
	if reg.head != sa || sa.regNext != nil || sa.regPrev != nil {
		t.Fatal("closed sockets are still linked")
	}
	reg.Close()
	if !peerSeesClose(t, aPeer) {
		t.Fatal("Registry.Close did not close an open socket's connection")
	}
	reg.Close() // idempotent
	_ = sa.Close()

	// wrapping in a closed registry closes the connection at once
	d, dPeer := tcpPair(t)
	WrapIn(reg, nil, d, nil)
	if !peerSeesClose(t, dPeer) {
		t.Fatal("a socket wrapped in a closed registry stayed open")
	}
}
