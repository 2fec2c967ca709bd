package socket

import (
	"context"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/runtime"
)

// openFDs counts this process's open descriptors.
func openFDs(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("no /proc/self/fd: %v", err)
	}
	return len(ents)
}

// TestRawSocketsLeaveNoDescriptors: every kind of socket NewSocket and
// NewSocketPair make, through each state change (listen, connect, bind),
// gives its descriptors back on Close, and the runtime's exit closes those
// a script left open.
func TestRawSocketsLeaveNoDescriptors(t *testing.T) {
	before := openFDs(t)
	rt := runtime.New()
	mk := func(family, typ int) *Socket {
		s, err := NewSocket(rt, family, typ, 0)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	dir := t.TempDir()

	ln := mk(afUnix, syscall.SOCK_STREAM)
	if err := ln.Bind(&syscall.SockaddrUnix{Name: dir + "/s"}); err != nil {
		t.Fatal(err)
	}
	if err := ln.Listen(4); err != nil {
		t.Fatal(err)
	}
	udp := mk(afInet, syscall.SOCK_DGRAM)
	if err := udp.Bind(&syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	a, b, err := NewSocketPair(rt, afUnix, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	stream := mk(afInet6, syscall.SOCK_STREAM) // never connected
	for _, s := range []*Socket{ln, udp, a, b, stream} {
		if err := s.Close(); err != nil {
			t.Fatalf("close: %v", err)
		}
	}
	if _, err := os.Stat(dir + "/s"); !os.IsNotExist(err) {
		t.Fatalf("listener's socket file left behind: %v", err)
	}
	if n := openFDs(t); n != before {
		t.Fatalf("%d descriptors open after Close, %d before", n, before)
	}

	// left open: the runtime's exit closes them
	mk(afUnix, syscall.SOCK_DGRAM)
	mk(afInet, syscall.SOCK_STREAM)
	if _, _, err := NewSocketPair(rt, afUnix, syscall.SOCK_DGRAM, 0); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = rt.Close(ctx)
	deadline := time.Now().Add(2 * time.Second)
	for openFDs(t) != before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond) // the close-at-exit hooks run on their own goroutines
	}
	if n := openFDs(t); n != before {
		t.Fatalf("%d descriptors open after the runtime closed, %d before", n, before)
	}
}

// TestUnixPathSpelling: Go's '@' spellings become the C library's (a
// leading NUL byte; an unnamed socket has an empty path).
func TestUnixPathSpelling(t *testing.T) {
	for in, want := range map[string]string{"@": "", "@abc": "\x00abc", "/tmp/x": "/tmp/x", "": ""} {
		if got := unixPath(in); got != want {
			t.Errorf("unixPath(%q) = %q, want %q", in, got, want)
		}
	}
}
