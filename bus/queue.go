package bus

import (
	"context"
	"sync"
	"sync/atomic"
)

// NATS's defaults for a subscription's pending queue (nats.go's
// DefaultSubPendingMsgsLimit and DefaultSubPendingBytesLimit).
const (
	DefaultPendingMsgs  = 500_000
	DefaultPendingBytes = 64 << 20
)

// queue is a subscription's bounded FIFO of pending messages. push never
// blocks: a message that would take the queue over either limit is dropped
// and counted, as a NATS server and client drop for a slow consumer.
type queue struct {
	maxMsgs, maxBytes int

	mu     sync.Mutex
	buf    []Msg
	head   int
	bytes  int
	closed bool

	wake    chan struct{} // capacity 1: "the queue may be non-empty"
	done    chan struct{} // closed by close
	dropped atomic.Uint64
}

func newQueue(maxMsgs, maxBytes int) *queue {
	return &queue{
		maxMsgs:  maxMsgs,
		maxBytes: maxBytes,
		wake:     make(chan struct{}, 1),
		done:     make(chan struct{}),
	}
}

// push queues m, or drops and counts it when the queue is full. It
// reports whether m was queued.
func (q *queue) push(m Msg) bool {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return false
	}
	if len(q.buf)-q.head >= q.maxMsgs || q.bytes+len(m.Data) > q.maxBytes {
		q.mu.Unlock()
		q.dropped.Add(1)
		return false
	}
	q.buf = append(q.buf, m)
	q.bytes += len(m.Data)
	q.mu.Unlock()
	q.signal()
	return true
}

func (q *queue) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// tryPop returns the oldest message, if any.
func (q *queue) tryPop() (Msg, bool) {
	q.mu.Lock()
	if q.head == len(q.buf) {
		q.mu.Unlock()
		return Msg{}, false
	}
	m := q.buf[q.head]
	q.buf[q.head] = Msg{}
	q.head++
	q.bytes -= len(m.Data)
	left := len(q.buf) - q.head
	switch {
	case left == 0:
		q.buf, q.head = q.buf[:0], 0
	case q.head >= 1024 && q.head >= left:
		// Slide the live part down so the backing array is reused
		// instead of growing behind a head that only moves forward.
		n := copy(q.buf, q.buf[q.head:])
		clear(q.buf[n:])
		q.buf, q.head = q.buf[:n], 0
	}
	q.mu.Unlock()
	if left > 0 {
		q.signal() // another receiver may be waiting
	}
	return m, true
}

// pop waits for the oldest message, the queue's close (ErrClosed), or
// ctx's end.
func (q *queue) pop(ctx context.Context) (Msg, error) {
	for {
		if m, ok := q.tryPop(); ok {
			return m, nil
		}
		select {
		case <-q.wake:
		case <-q.done:
			return Msg{}, ErrClosed
		case <-ctx.Done():
			return Msg{}, ctx.Err()
		}
	}
}

// close discards what is pending and wakes every waiter with ErrClosed.
// It reports whether this call closed the queue.
func (q *queue) close() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return false
	}
	q.closed = true
	clear(q.buf)
	q.buf, q.head, q.bytes = nil, 0, 0
	close(q.done)
	return true
}
