package worker

import (
	"context"
	"errors"
	"net"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/runtime"
)

// workers makes n bare runtimes seeded with one hub, as a pool does.
func workers(t *testing.T, n int, mode AcceptMode) []*runtime.Runtime {
	t.Helper()
	h := newHub(mode)
	rts := make([]*runtime.Runtime, n)
	for i := range rts {
		rts[i] = runtime.New(withHub(h), WithIdentity(i+1, n))
		rt := rts[i]
		t.Cleanup(func() { _ = rt.Close(context.Background()) })
	}
	return rts
}

func listenT(t *testing.T, rt *runtime.Runtime, address string) net.Listener {
	t.Helper()
	ln, err := Listen(rt, net.ListenConfig{}, "tcp", address)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	return ln
}

func port(ln net.Listener) int { return ln.Addr().(*net.TCPAddr).Port }

func TestLoneRuntimeListensDirectly(t *testing.T) {
	rt := runtime.New()
	defer rt.Close(context.Background())
	ln := listenT(t, rt, "127.0.0.1:0")
	if _, ok := ln.(*net.TCPListener); !ok {
		t.Fatalf("a lone runtime got %T, want the plain *net.TCPListener", ln)
	}
	if id := IdentityOf(rt); id != (Identity{ID: 1, Count: 1}) {
		t.Fatalf("identity %+v", id)
	}
}

func TestPortZeroIsOnePortPerRank(t *testing.T) {
	for _, mode := range []AcceptMode{AcceptShared, AcceptReusePort} {
		t.Run(mode.String(), func(t *testing.T) {
			rts := workers(t, 2, mode)
			a1, a2 := listenT(t, rts[0], "127.0.0.1:0"), listenT(t, rts[0], "127.0.0.1:0")
			b1, b2 := listenT(t, rts[1], "127.0.0.1:0"), listenT(t, rts[1], "127.0.0.1:0")
			if port(a1) != port(b1) || port(a2) != port(b2) {
				t.Fatalf("k-th port-0 listens differ: %d/%d and %d/%d", port(a1), port(b1), port(a2), port(b2))
			}
			if port(a1) == port(a2) {
				t.Fatalf("two servers of one worker share port %d", port(a1))
			}
		})
	}
}

func TestSharedListenTwiceInOneWorkerIsAddressInUse(t *testing.T) {
	rts := workers(t, 2, AcceptShared)
	ln := listenT(t, rts[0], "127.0.0.1:0")
	addr := ln.Addr().String()
	listenT(t, rts[1], addr) // another worker joins
	_, err := Listen(rts[0], net.ListenConfig{}, "tcp", addr)
	if !errors.Is(err, syscall.EADDRINUSE) {
		t.Fatalf("second listen of worker 1 on %s: %v, want EADDRINUSE", addr, err)
	}
}

// accepted reports whether ln accepts a connection within d.
func accepted(ln net.Listener, d time.Duration) bool {
	type deadliner interface{ SetDeadline(time.Time) error }
	_ = ln.(deadliner).SetDeadline(time.Now().Add(d))
	c, err := ln.Accept()
	if err != nil {
		return false
	}
	c.Close()
	return true
}

func TestSharedCloseHandsTheQueueToTheOthers(t *testing.T) {
	rts := workers(t, 2, AcceptShared)
	a := listenT(t, rts[0], "127.0.0.1:0")
	b := listenT(t, rts[1], a.Addr().String())
	// Connections queued while nobody accepts are not lost when worker 1
	// stops listening: worker 2 gets every one.
	var clients []net.Conn
	for i := 0; i < 5; i++ {
		c, err := net.Dial("tcp", a.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		clients = append(clients, c)
	}
	defer func() {
		for _, c := range clients {
			c.Close()
		}
	}()
	a.Close()
	for i := 0; i < 5; i++ {
		if !accepted(b, 5*time.Second) {
			t.Fatalf("connection %d lost when worker 1 closed its listener", i+1)
		}
	}
	if _, err := a.Accept(); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("accept on a closed listener: %v", err)
	}
	// The last worker out closes the socket.
	b.Close()
	if c, err := net.DialTimeout("tcp", a.Addr().String(), time.Second); err == nil {
		c.Close()
		t.Fatal("the port still accepts after every worker closed")
	}
}

func TestSharedAcceptDeadline(t *testing.T) {
	rts := workers(t, 2, AcceptShared)
	ln := listenT(t, rts[0], "127.0.0.1:0")
	type deadliner interface{ SetDeadline(time.Time) error }
	_ = ln.(deadliner).SetDeadline(time.Now().Add(50 * time.Millisecond))
	_, err := ln.Accept()
	var ne net.Error
	if !errors.Is(err, os.ErrDeadlineExceeded) || !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("accept past the deadline: %v", err)
	}
	// Moving the deadline while Accept waits takes effect.
	_ = ln.(deadliner).SetDeadline(time.Time{})
	res := make(chan error, 1)
	go func() {
		_, err := ln.Accept()
		res <- err
	}()
	time.Sleep(50 * time.Millisecond)
	_ = ln.(deadliner).SetDeadline(time.Now().Add(20 * time.Millisecond))
	select {
	case err := <-res:
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("accept: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a deadline set during Accept did not end it")
	}
	if _, ok := ln.(syscall.Conn); !ok {
		t.Fatal("a shared listener has no SyscallConn (eco's getfd)")
	}
}

func TestWorkerExitWithdrawsItsListener(t *testing.T) {
	rts := workers(t, 2, AcceptShared)
	a := listenT(t, rts[0], "127.0.0.1:0")
	b := listenT(t, rts[1], a.Addr().String())
	// A runtime's listeners close with it (the dialects tie them to its
	// context); here the worker's close is the listener's close.
	go func() {
		<-rts[0].Context().Done()
		a.Close()
	}()
	rts[0].Exit(0)
	c, err := net.Dial("tcp", a.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if !accepted(b, 5*time.Second) {
		t.Fatal("worker 2 did not get the connection")
	}
}

// TestReusePortCloseLosesItsQueue documents why AcceptShared is the
// default: under SO_REUSEPORT, connections the kernel queued on a worker's
// socket are reset when that worker closes it (unless the host sets
// net.ipv4.tcp_migrate_req=1, Linux 5.14+).
func TestReusePortCloseLosesItsQueue(t *testing.T) {
	if b, err := os.ReadFile("/proc/sys/net/ipv4/tcp_migrate_req"); err != nil || string(b) != "0\n" {
		t.Skip("needs Linux with net.ipv4.tcp_migrate_req=0")
	}
	rts := workers(t, 2, AcceptReusePort)
	a := listenT(t, rts[0], "127.0.0.1:0")
	b := listenT(t, rts[1], a.Addr().String())
	const n = 20
	var clients []net.Conn
	for i := 0; i < n; i++ {
		c, err := net.Dial("tcp", a.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		clients = append(clients, c)
	}
	a.Close()
	got := 0
	for accepted(b, 200*time.Millisecond) {
		got++
	}
	reset := 0
	for _, c := range clients {
		_ = c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
		if _, err := c.Read(make([]byte, 1)); errors.Is(err, syscall.ECONNRESET) {
			reset++
		}
	}
	t.Logf("%d connections queued, worker 2 accepted %d, %d were reset", n, got, reset)
	if got == n || reset == 0 {
		t.Fatalf("no connection was lost (accepted %d of %d): has the kernel changed?", got, n)
	}
}
