package worker

import (
	"net"
	"testing"
	"time"
)

// TestJoiningWorkerGetsWaitingConnection: when every worker on a shared
// port holds inboxSize connections it has not accepted, the next one waits
// for room; a worker that joins then must get it, not wait until one of
// the full workers accepts.
func TestJoiningWorkerGetsWaitingConnection(t *testing.T) {
	rts := workers(t, 2, AcceptShared)
	a := listenT(t, rts[0], "127.0.0.1:0")
	for i := 0; i < inboxSize+1; i++ {
		c, err := net.Dial("tcp", a.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
	}
	full := time.Now().Add(5 * time.Second)
	for len(a.(*member).inbox) < inboxSize {
		if time.Now().After(full) {
			t.Fatalf("worker 1 holds %d connections, want %d", len(a.(*member).inbox), inboxSize)
		}
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // the next connection waits for room
	b := listenT(t, rts[1], a.Addr().String())
	got := make(chan error, 1)
	go func() {
		c, err := b.Accept()
		if err == nil {
			c.Close()
		}
		got <- err
	}()
	select {
	case err := <-got:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		_ = b.Close()
		t.Fatal("the joining worker got no connection while one waited for room")
	}
}
