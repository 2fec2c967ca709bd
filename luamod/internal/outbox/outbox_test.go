package outbox_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/luamod/internal/outbox"
	"github.com/golua-ws/golua-ws/runtime"
)

// recorder is a Send that records what was written and on which call.
type recorder struct {
	mu      sync.Mutex
	batches [][]string
	fail    error
	gate    chan struct{} // when set, Send waits for it
}

func (r *recorder) send(items []outbox.Item) error {
	if r.gate != nil {
		<-r.gate
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var b []string
	for _, it := range items {
		b = append(b, it.Data)
	}
	r.batches = append(r.batches, b)
	return r.fail
}

func (r *recorder) all() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var s []string
	for _, b := range r.batches {
		s = append(s, strings.Join(b, ","))
	}
	return strings.Join(s, "|")
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func newRuntime(t *testing.T) *runtime.Runtime {
	rt := runtime.New()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = rt.Close(ctx)
	})
	return rt
}

func TestPushWritesInOrderAndCloseFinishesAfterTheQueue(t *testing.T) {
	rec := &recorder{gate: make(chan struct{})}
	finished := make(chan string, 1)
	var o outbox.Outbox
	o.Send = rec.send
	o.Finish = func() { finished <- rec.all() }
	for _, s := range []string{"a", "b", "c"} {
		if err := o.Push(0, s); err != nil {
			t.Fatal(err)
		}
	}
	if !o.Close() || o.Close() {
		t.Fatal("Close must report true once, then false")
	}
	if err := o.Push(0, "late"); !errors.Is(err, outbox.ErrClosed) {
		t.Fatalf("push after close: %v", err)
	}
	close(rec.gate)
	select {
	case got := <-finished:
		// The first item may go alone (the writer started at once).
		if strings.ReplaceAll(got, "|", ",") != "a,b,c" {
			t.Fatalf("written before Finish: %q", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Finish did not run")
	}
	if o.Pending() != 0 || o.Busy() {
		t.Fatalf("pending %d busy %v after finish", o.Pending(), o.Busy())
	}
}

func TestSendErrorIsStickyAndDropsTheRest(t *testing.T) {
	boom := errors.New("boom")
	rec := &recorder{fail: boom}
	var o outbox.Outbox
	o.Send = rec.send
	if err := o.Push(0, "x"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the failed send", func() bool { return o.Err() != nil })
	if err := o.Push(0, "y"); !errors.Is(err, boom) {
		t.Fatalf("push after a failed send: %v", err)
	}
}

func TestPushAtWaitsForTheTaskToReleaseTheToken(t *testing.T) {
	rt := newRuntime(t)
	rec := &recorder{}
	var o outbox.Outbox
	o.Send = rec.send
	var beforeRelease string
	err := rt.Do(context.Background(), func(task *runtime.Task) error {
		for _, s := range []string{"1", "2", "3"} {
			if err := o.PushAt(task, 0, s); err != nil {
				return err
			}
		}
		time.Sleep(20 * time.Millisecond) // a writer started now would have written
		beforeRelease = rec.all()
		task.Yield() // gives up the token: the hook starts the writer
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if beforeRelease != "" {
		t.Fatalf("written while the task held the token: %q", beforeRelease)
	}
	waitFor(t, "the writer", func() bool { return rec.all() != "" })
	if got := rec.all(); got != "1,2,3" {
		t.Fatalf("one batch expected, got %q", got)
	}
}

func TestClaimLetsTheReaderWriteOnItsOwnGoroutine(t *testing.T) {
	rt := newRuntime(t)
	rec := &recorder{}
	var o outbox.Outbox
	o.Send = rec.send
	var claimed, busyInBlock bool
	var written string
	err := rt.Do(context.Background(), func(task *runtime.Task) error {
		if o.Claim() {
			return errors.New("claimed an empty queue")
		}
		_ = o.PushAt(task, 0, "reply")
		claimed = o.Claim()
		return task.Block(func(context.Context) error {
			busyInBlock = o.Busy() // the hook must not have started a writer
			o.Flush(true)
			written = rec.all()
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if !claimed || !busyInBlock || written != "reply" {
		t.Fatalf("claimed %v busy %v written %q", claimed, busyInBlock, written)
	}
	time.Sleep(20 * time.Millisecond)
	if got := rec.all(); got != "reply" {
		t.Fatalf("written twice or more: %q", got)
	}
}

// Limit refuses an item that would take a non-empty queue beyond it, but
// takes one larger than the limit into an empty queue; Fail drops the
// queue and makes later pushes return its error.
func TestLimitAndFail(t *testing.T) {
	r := &recorder{gate: make(chan struct{})}
	o := &outbox.Outbox{Send: r.send, Limit: 10}
	if err := o.Push(0, strings.Repeat("a", 20)); err != nil {
		t.Fatalf("an item over the limit into an empty queue: %v", err)
	}
	// The writer holds that item (gated); the next one would exceed.
	if err := o.Push(0, "b"); !errors.Is(err, outbox.ErrFull) {
		t.Fatalf("push beyond the limit: %v, want ErrFull", err)
	}
	boom := errors.New("slow")
	if !o.Fail(boom) {
		t.Fatal("Fail reported an earlier error")
	}
	if err := o.Push(0, "c"); !errors.Is(err, boom) {
		t.Fatalf("push after Fail: %v", err)
	}
	close(r.gate)
	o.WaitSent()
	if got := o.Pending(); got != 0 {
		t.Errorf("%d bytes pending after the failed queue drained", got)
	}
	if o.Fail(errors.New("later")) {
		t.Error("a second Fail replaced the first error")
	}
}

// EarlyStart starts the writer while the pushing task still runs, once
// more than that many bytes are pending.
func TestEarlyStart(t *testing.T) {
	rt := runtime.New()
	defer rt.Close(context.Background())
	r := &recorder{}
	o := &outbox.Outbox{Send: r.send, EarlyStart: 4}
	written := make(chan string, 1)
	err := rt.Do(context.Background(), func(task *runtime.Task) error {
		for _, s := range []string{"ab", "cd", "ef"} {
			if err := o.PushAt(task, 0, s); err != nil {
				return err
			}
		}
		// Still holding the token: only the early start can have written.
		deadline := time.Now().Add(5 * time.Second)
		for r.all() == "" && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		written <- r.all()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := <-written; got == "" {
		t.Error("nothing was written while the task held the token")
	}
}
