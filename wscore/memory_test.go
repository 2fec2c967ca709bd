package wscore

import (
	"runtime"
	"testing"
	"time"
	"unsafe"
)

// Every idle connection holds one Conn, so its size is memory per
// connection. Go rounds an allocation up to its size class, and an object
// over 512 bytes that holds pointers carries an 8-byte header: up to 760
// bytes a Conn takes the 768-byte class, above it the 896-byte one. What
// only some connections need (the first-read array of non-raw sockets, the
// writev vector of large frames, the close signals) is made on first use
// instead of being carried by all.
func TestConnFitsItsSizeClass(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		t.Skip("sizes are for 64-bit platforms")
	}
	if n := unsafe.Sizeof(Conn{}); n > 760 {
		t.Errorf("wscore.Conn is %d bytes; over 760 it takes the 896-byte size class", n)
	}
	// What the allocator really hands out for one.
	const n = 10000
	keep := make([]*Conn, n)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := range keep {
		keep[i] = new(Conn)
	}
	runtime.ReadMemStats(&after)
	if per := (after.TotalAlloc - before.TotalAlloc) / n; per > 768 {
		t.Errorf("a Conn takes %d bytes of heap; want at most 768", per)
	}
	runtime.KeepAlive(keep)
}

// The close signals are made on demand: Done asked before the close is
// closed by it, Done asked after it is closed already, and a Close waiting
// for the peer's close frame is woken by it.
func TestLazyCloseSignals(t *testing.T) {
	c, peer, br := serverWithRawClient(t, nil)
	before := c.Done()
	select {
	case <-before:
		t.Fatal("Done is closed before the connection is")
	default:
	}
	go func() {
		// Answer the server's close frame with the client's own.
		readRaw(t, br)
		_, _ = peer.Write(rawFrame(true, 0, 0x8, closePayload(StatusNormalClosure, ""), []byte{1, 2, 3, 4}))
	}()
	go func() {
		for {
			if _, err := c.ReadFrame(); err != nil {
				return
			}
		}
	}()
	// Wait until the reader holds the read lock, so that Close waits on
	// the signal instead of reading the peer's frame itself.
	for c.rmu.TryLock() {
		c.rmu.Unlock()
		time.Sleep(time.Millisecond)
	}
	start := time.Now()
	if err := c.Close(StatusNormalClosure, ""); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited >= DefaultCloseTimeout {
		t.Fatalf("Close waited %v: the peer's close frame did not wake it", waited)
	}
	for _, ch := range []<-chan struct{}{before, c.Done()} {
		select {
		case <-ch:
		case <-time.After(5 * time.Second):
			t.Fatal("Done is not closed after Close")
		}
	}
}
