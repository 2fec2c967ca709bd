package runtime

import (
	goruntime "runtime"
	"sync"
	"time"
)

// sched is the VM token and the FIFO ready queue behind it.
//
// Invariant: when the token is not held the ready queue is empty, because
// whoever makes a task ready while the token is free hands the token to it at
// once. A task receives the token by a send on its wake channel, so exactly one
// goroutine holds it at a time and handoffs are strictly first-in first-out —
// the ordering eco and silly scripts observe (see the eco ordering tests).
//
// busy counts what can still make progress: tasks that are running, ready,
// blocked in Go (Task.Block), or suspended with a timeout, plus holds taken
// by listeners (Runtime.Hold). When it reaches zero no task can ever be woken
// again and the runtime is idle.
type sched struct {
	mu    sync.Mutex
	held  bool
	queue []*Task
	head  int

	busy        int
	idleWaiters []*Task
	idleNotify  chan struct{} // capacity 1: "busy reached zero"
}

// pushLocked appends t to the ready queue. If the token is free it is granted
// to the queue head, whose wake channel is returned for the caller to signal
// after unlocking.
func (s *sched) pushLocked(t *Task) chan struct{} {
	t.queued = true
	t.granted = false
	if t.rt.opts.tokenWait != nil {
		t.readyAt = int64(time.Since(t.rt.epoch))
	}
	s.queue = append(s.queue, t)
	if s.held {
		return nil
	}
	return s.grantLocked()
}

// grantLocked pops the queue head and gives it the token, or frees the token
// when the queue is empty.
func (s *sched) grantLocked() chan struct{} {
	if s.head == len(s.queue) {
		s.held = false
		s.queue = s.queue[:0]
		s.head = 0
		return nil
	}
	t := s.queue[s.head]
	s.queue[s.head] = nil
	s.head++
	if s.head > 64 && s.head*2 > len(s.queue) {
		n := copy(s.queue, s.queue[s.head:])
		// The slots past the moved tail still point at tasks now held
		// twice over; left there, each would keep a finished task — its
		// thread and everything on that thread's stack, a closed
		// connection's whole graph — alive until an append reached it.
		clear(s.queue[n:])
		s.queue = s.queue[:n]
		s.head = 0
	}
	t.queued = false
	t.granted = true
	s.held = true
	return t.wake
}

func (s *sched) readyCountLocked() int { return len(s.queue) - s.head }

// decBusyLocked drops one unit of progress. At zero it wakes an idle waiter
// (eco.loop called by a script) or reports the runtime idle.
func (s *sched) decBusyLocked() chan struct{} {
	s.busy--
	if s.busy > 0 {
		return nil
	}
	if len(s.idleWaiters) > 0 {
		w := s.idleWaiters[0]
		s.idleWaiters[0] = nil // the backing array must not keep it
		s.idleWaiters = s.idleWaiters[1:]
		s.busy++
		return s.pushLocked(w)
	}
	select {
	case s.idleNotify <- struct{}{}:
	default:
	}
	return nil
}

// signal wakes the goroutine owning ch, if any. It never blocks: wake
// channels have capacity one and a task is granted the token at most once
// per wait.
func signal(ch chan struct{}) {
	if ch != nil {
		ch <- struct{}{}
	}
}

// goexit ends the calling task goroutine during shutdown. Deferred cleanup in
// the task's goroutine still runs.
func goexit() { goruntime.Goexit() }
