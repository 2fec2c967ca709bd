// Package outbox is the write-behind queue the dialects' sockets share: a
// Lua task queues what it sends without giving up the VM token, and the
// bytes go out on a goroutine that does not hold it.
//
// Who writes is chosen to save goroutine switches. A queue filled through
// PushAt is written when the pushing task next gives up the token: if that
// is because the task blocks to read the same connection (the usual
// request-reply loop), the reader claims the queue (Claim) and writes it on
// its own goroutine just before it reads (Flush); otherwise a writer
// goroutine is started at that moment, once, for everything queued. Push
// starts the writer at once.
package outbox

import (
	"errors"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/golua-ws/golua-ws/runtime"
)

// ErrClosed is what Push returns after Close.
var ErrClosed = errors.New("outbox closed")

// ErrFull is what Push returns, without queuing, when the item would take
// the queue beyond Limit.
var ErrFull = errors.New("outbox full")

// Item is one queued write: Kind is free for the owner (the WebSocket
// modules store the opcode there), Data is sent as is.
type Item struct {
	Kind int
	Data string
}

// Bytes views Data's bytes without a copy, for writers that only read them
// (net.Conn.Write, wscore's writes): Lua strings are immutable, so queuing
// one needs no copy either. The result must not be modified.
func (it Item) Bytes() []byte { return unsafe.Slice(unsafe.StringData(it.Data), len(it.Data)) }

// Outbox is a write queue with at most one writer at a time. The zero
// value is ready once Send is set.
//
// The first send error is kept: later pushes return it and queued items are
// dropped. Close asks for Finish to run once everything queued before it
// has been sent.
type Outbox struct {
	// Send writes one batch of items in order. It never runs concurrently
	// with itself.
	Send func(items []Item) error
	// Finish runs once, after Close and the last send, on the goroutine
	// that wrote last. It typically closes the connection.
	Finish func()
	// Limit, when positive, bounds the bytes queued and not yet sent: a
	// push that would exceed it returns ErrFull, unless the queue is empty
	// (one item larger than Limit is accepted, so a bulk send works).
	Limit int
	// EarlyStart, when positive, makes PushAt start the writer at once
	// when more than this many bytes are pending, rather than when the
	// task gives up the token: a task that sends in a loop without
	// yielding then does not build its whole backlog before the first
	// byte goes out.
	EarlyStart int

	mu       sync.Mutex
	idle     sync.Cond // signalled when a writer stops
	queue    []Item
	spare    []Item
	pending  int
	running  bool        // a writer (goroutine or claimed reader) owns the queue
	armed    atomic.Bool // a task's AtRelease hook will start a writer (written under mu; kick reads it without)
	kickFn   func()      // o.kick, bound once: a method value per push would allocate
	closed   bool
	finished bool
	err      error
}

// Push queues data and starts a writer goroutine if none runs. It returns
// the stored send error, or ErrClosed after Close, without queuing.
func (o *Outbox) Push(kind int, data string) error {
	return o.push(nil, kind, data)
}

// PushAt queues data like Push, but leaves starting the writer to the
// moment t gives up the VM token (Task.AtRelease), so that t's own next
// read can do the writing instead (Claim). The caller holds the token and
// is running t.
func (o *Outbox) PushAt(t *runtime.Task, kind int, data string) error {
	return o.push(t, kind, data)
}

func (o *Outbox) push(t *runtime.Task, kind int, data string) error {
	o.mu.Lock()
	if o.err != nil || o.closed {
		err := o.err
		if err == nil {
			err = ErrClosed
		}
		o.mu.Unlock()
		return err
	}
	if o.Limit > 0 && o.pending > 0 && o.pending+len(data) > o.Limit {
		o.mu.Unlock()
		return ErrFull
	}
	o.queue = append(o.queue, Item{kind, data})
	o.pending += len(data)
	start, arm := false, false
	switch {
	case o.running:
		// The current writer takes this item too.
	case o.EarlyStart > 0 && o.pending > o.EarlyStart:
		// Too much for the armed hook to wait for; the hook finds the
		// writer running and does nothing.
		o.running, start = true, true
	case o.armed.Load():
		// The armed hook starts the writer.
	case t == nil:
		o.running, start = true, true
	default:
		o.armed.Store(true)
		arm = true
	}
	o.mu.Unlock()
	if start {
		go o.drain()
	}
	if arm {
		if o.kickFn == nil {
			o.kickFn = o.kick
		}
		t.AtRelease(o.kickFn)
	}
	return nil
}

// kick is the AtRelease hook: it starts a writer goroutine for what is
// queued, unless a reader claimed the queue meanwhile. A claim disarms the
// hook, so in the usual echo loop (send, then read) kick returns without
// taking the lock.
func (o *Outbox) kick() {
	if !o.armed.Load() {
		return
	}
	o.mu.Lock()
	o.armed.Store(false)
	start := !o.running && (len(o.queue) > 0 || (o.closed && !o.finished))
	if start {
		o.running = true
	}
	o.mu.Unlock()
	if start {
		go o.drain()
	}
}

// Claim makes the caller the queue's writer when no writer runs and
// something is queued: it then returns true, and the caller must call
// Flush(true) (after giving up the token, typically inside Task.Block)
// before anything else is sent on the connection. It returns false when there is
// nothing to write or a writer goroutine is already at work (WaitSent waits
// for that one).
func (o *Outbox) Claim() bool {
	claimed, _ := o.Take()
	return claimed
}

// Take is Busy and Claim under one lock, for a reader's every read:
// busy reports whether anything is queued or being written, claimed
// whether the caller became the writer of what is queued (then it must
// call Flush(true), as after Claim).
func (o *Outbox) Take() (claimed, busy bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	busy = o.running || len(o.queue) > 0
	if o.running || len(o.queue) == 0 {
		return false, busy
	}
	o.running = true
	// The writer is chosen: the hook armed for it has nothing to do.
	o.armed.Store(false)
	return true, busy
}

// Flush is what a reader or a synchronous writer does first, without the
// token, so that its own I/O comes after everything queued: it writes
// the queue on the calling goroutine until it is empty when its Claim
// returned true, else waits for the writer at work (WaitSent).
func (o *Outbox) Flush(claimed bool) {
	if claimed {
		o.drain()
	} else {
		o.WaitSent()
	}
}

// Busy reports whether anything is queued or being written.
func (o *Outbox) Busy() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.running || len(o.queue) > 0
}

// Err returns the first send error, if any.
func (o *Outbox) Err() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.err
}

// Pending returns the number of bytes queued and not yet sent.
func (o *Outbox) Pending() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.pending
}

// WaitSent blocks until the writer at work, if any, has stopped: everything
// queued before the call has been handed to Send (or dropped after an
// error), unless it is waiting for an armed hook, which Claim handles.
// Readers call it without the VM token before reading on, so that replies
// already written go out before anything the read may send itself (a
// protocol-error close, for one).
func (o *Outbox) WaitSent() {
	o.mu.Lock()
	if o.idle.L == nil {
		o.idle.L = &o.mu
	}
	for o.running && !o.closed {
		o.idle.Wait()
	}
	o.mu.Unlock()
}

// Fail stores err as the send error (later pushes return it) and drops
// everything queued: a connection that is being torn down because its peer
// does not read. A batch being written is not interrupted: closing the
// connection does that. Fail returns false if a send error was stored
// already (that error stays).
func (o *Outbox) Fail(err error) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.err != nil {
		return false
	}
	o.err = err
	for i := range o.queue {
		o.pending -= len(o.queue[i].Data)
		o.queue[i] = Item{}
	}
	o.queue = o.queue[:0]
	return true
}

// Close stops accepting items and runs Finish once the queue is empty. It
// reports false if Close was already called.
func (o *Outbox) Close() bool {
	o.mu.Lock()
	if o.closed {
		o.mu.Unlock()
		return false
	}
	o.closed = true
	start := !o.running
	o.running = true
	o.mu.Unlock()
	if start {
		go o.drain()
	}
	return true
}

func (o *Outbox) drain() {
	o.mu.Lock()
	for {
		if len(o.queue) == 0 {
			o.running = false
			if o.idle.L != nil {
				o.idle.Broadcast()
			}
			fin := o.closed && !o.finished
			o.finished = o.finished || fin
			o.mu.Unlock()
			if fin && o.Finish != nil {
				o.Finish()
			}
			return
		}
		batch := o.queue
		o.queue = o.spare[:0]
		failed := o.err != nil
		o.mu.Unlock()

		var err error
		if !failed {
			err = o.Send(batch)
		}
		n := 0
		for i := range batch {
			n += len(batch[i].Data)
			batch[i] = Item{}
		}
		o.mu.Lock()
		o.pending -= n
		if err != nil && o.err == nil {
			o.err = err
		}
		o.spare = batch
	}
}
