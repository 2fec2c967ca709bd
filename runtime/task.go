package runtime

import (
	"context"
	"errors"
	"fmt"
	goruntime "runtime"
	"sync/atomic"
	"time"

	"github.com/golua-ws/golua-ws/runtime/lua54"
	lua "github.com/yuin/gopher-lua"
)

// Task is one unit of Lua work: a goroutine with its own gopher-lua thread.
// Its methods that block (Block, Suspend, Yield) must be called by the task's
// own goroutine while it holds the VM token, that is, from a Lua binding the
// task is running. Resume is called by another task holding the token.
type Task struct {
	rt   *Runtime
	id   uint64
	name string

	// L is the task's own thread. It is set before the body runs.
	L *lua.LState

	wake chan struct{} // capacity 1; a send grants the token

	// Fields below are guarded by sched.mu.
	queued      bool
	granted     bool // popped from the queue; its wake is sent or on its way
	parked      bool
	parkSeq     uint64
	parkCounted bool // the park took the task out of the busy count
	resumeVal   any
	timedOut    bool
	// readyAt is when the task was queued for the token (ns since
	// rt.epoch; 0: not measured). Written under sched.mu, read by the
	// task after its grant.
	readyAt int64

	// Fields below belong to whoever holds the token.
	lender   chan struct{} // set while running on a token lent by the parent
	saved    *lua.LState   // CurrentThread to restore on the next acquire
	holding  bool
	rawYield bool // parked in coroutine.yield on its own thread
	lentOut  bool // waiting for a child started Immediate to return the token
	reuse    bool // ReuseThread: give the thread back when done
	onExit   []func()
	err      error    // the body's error, set before the OnExit hooks run
	atRel    []func() // AtRelease hooks, run once at the next release
	done     chan struct{}
	values   map[any]any

	// since is when the task last took the token, as the monotonic time
	// since rt.epoch in ns; the watchdog goroutine reads it.
	since     atomic.Int64
	cpuCancel atomic.Pointer[context.CancelFunc] // stops the thread (cancelling watchdog)

	// Parking (park.go). finishLua is set for StartLua tasks; the others
	// belong to the token holder, except parkKey (the poller's lock).
	finishLua func(t *Task, results []lua.LValue, err error) error
	wrapped   bool     // its thread is a wrapped one (StartLua)
	pending   *parking // set by Park, taken when Resume returns
	repark    *parking // set by Park called from a parking's retry
	retrying  bool     // running a parking's retry
	parkNret  int      // the results wanted by the call being retried
	parkKey   uint64
}

// ID returns a number unique among the tasks of one Runtime.
func (t *Task) ID() uint64 { return t.id }

// Name returns the label given when the task was started ("main", "eco.run",
// "http handler", ...). It is used in error reports.
func (t *Task) Name() string { return t.name }

// Runtime returns the runtime the task belongs to.
func (t *Task) Runtime() *Runtime { return t.rt }

// Thread returns the task's own Lua thread. Lua sees it as the task's
// coroutine object (eco.all, task.running).
func (t *Task) Thread() *lua.LState { return t.L }

// Done is closed when the task has finished, normally or by an error.
func (t *Task) Done() <-chan struct{} { return t.done }

// OnExit registers fn to run, holding the token, when the task finishes
// normally or with an error. Hooks run in reverse order of registration.
// They do not run when the whole runtime is shutting down.
func (t *Task) OnExit(fn func()) { t.onExit = append(t.onExit, fn) }

// Err returns the error the task's body ended with (an uncaught Lua error,
// with its traceback), or nil while it runs and after a normal end. OnExit
// hooks read it to tell a failed task from a finished one: a WebSocket
// whose handler failed is closed with 1011. Token required.
func (t *Task) Err() error { return t.err }

// AtRelease registers fn to run once, holding the token, just before the
// task next gives the token up: when it blocks (Block, BlockDeep), parks
// (Suspend, WaitIdle), yields, lends the token to a child started
// Immediate, or ends. Hooks run in registration order; a hook may register
// another, which runs in the same pass.
//
// Bindings use it to defer work that needs no token to the moment the task
// stops running Lua anyway — a socket write-behind queue starts its writer
// then, unless the task's own next Block does the writing itself, which
// saves a goroutine switch per message. Token required.
func (t *Task) AtRelease(fn func()) { t.atRel = append(t.atRel, fn) }

// runAtRelease runs and clears the AtRelease hooks. The slice is kept for
// reuse, so a hook registered per message costs no allocation.
func (t *Task) runAtRelease() {
	for i := 0; i < len(t.atRel); i++ {
		t.atRel[i]()
		t.atRel[i] = nil
	}
	t.atRel = t.atRel[:0]
}

// Value returns per-task data stored by a module under key (modules use an
// unexported key type, as with context.Context values). Token required.
func (t *Task) Value(key any) any { return t.values[key] }

// SetValue stores per-task data for a module. Token required.
func (t *Task) SetValue(key, v any) {
	if t.values == nil {
		t.values = make(map[any]any, 2)
	}
	t.values[key] = v
}

// RunningSince reports when the task last acquired the token. Watchdogs use
// it to find tasks that run too long without blocking.
func (t *Task) RunningSince() time.Time {
	return t.rt.epoch.Add(time.Duration(t.since.Load()))
}

// releaseLocked gives the token away: back to the lending parent if the task
// runs on a lent token, else to the ready queue's head.
func (t *Task) releaseLocked() chan struct{} {
	t.holding = false
	// Only the token holder writes holder: a load and a store do what a
	// compare-and-swap would, without its locked instruction.
	if t.rt.holder.Load() == t {
		t.rt.holder.Store(nil)
	}
	if t.lender != nil {
		ch := t.lender
		t.lender = nil
		return ch
	}
	return t.rt.s.grantLocked()
}

// saveThread is the first step of every release of the token: it runs the
// AtRelease hooks and remembers the Lua thread to restore on the next
// acquire.
func (t *Task) saveThread() {
	if len(t.atRel) > 0 {
		t.runAtRelease()
	}
	t.saved = t.rt.L.G.CurrentThread
}

// release gives the token away for a task that will wait outside the
// scheduler's queues (Block, a park), and reports whether another task
// got it.
func (t *Task) release() (handedOver bool) {
	t.saveThread()
	s := &t.rt.s
	s.mu.Lock()
	next := t.releaseLocked()
	s.mu.Unlock()
	signal(next)
	return next != nil
}

// takeToken installs t as the token holder after a grant.
func (t *Task) takeToken() {
	t.holding = true
	rt := t.rt
	rt.cur = t
	if t.saved != nil {
		rt.L.G.CurrentThread = t.saved
	}
	now := int64(time.Since(rt.epoch))
	t.since.Store(now)
	if t.readyAt != 0 {
		// Set by pushLocked only with an observer (WithTokenWaitObserver).
		rt.opts.tokenWait(float64(now-t.readyAt) / 1e9)
		t.readyAt = 0
	}
	rt.acquires.Store(rt.acquires.Load() + 1) // only the holder writes it
	rt.holder.Store(t)
}

// waitGrant waits until the token is handed to t.
//
// Once the runtime is shutting down, a task never runs Lua again, but it
// still ends holding the token: it queues for the token (if it is not queued
// already) and leaves through goexit once granted, so that deferred cleanup in
// bindings — which may touch module state shared with other tasks — runs
// under the token like everything else, and finish passes the token on.
func (t *Task) waitGrant() {
	select {
	case <-t.wake:
		t.takeTokenOrExit()
		return
	case <-t.rt.ctx.Done():
	}
	s := &t.rt.s
	s.mu.Lock()
	var grant chan struct{}
	if !t.queued && !t.granted && !t.lentOut {
		// Parked in Suspend or WaitIdle: nothing will queue us now.
		t.parked = false
		for i, w := range s.idleWaiters {
			if w == t {
				s.idleWaiters = append(s.idleWaiters[:i], s.idleWaiters[i+1:]...)
				break
			}
		}
		grant = s.pushLocked(t)
	}
	s.mu.Unlock()
	signal(grant)
	<-t.wake
	t.takeToken()
	goexit()
}

// waitQueued waits for the token after t was put in the ready queue. A
// queued task is granted in its turn even during shutdown — every holder
// passes the token on as it leaves — so, unlike waitGrant, it needs no
// shutdown case, and it waits on its wake channel alone: the runtime's
// shared ctx.Done channel stays out of the busiest path, where every
// waiting task would otherwise queue on (and lock) that one channel.
func (t *Task) waitQueued() {
	<-t.wake
	t.takeTokenOrExit()
}

// takeTokenOrExit takes the granted token and, if the runtime has exited
// meanwhile, ends the task holding it.
func (t *Task) takeTokenOrExit() {
	t.takeToken()
	if t.rt.ctx.Err() != nil {
		goexit()
	}
}

// Block releases the VM token, runs fn — which may block for as long as it
// likes and must return promptly once ctx is done — and then waits for the
// token again. fn must not touch the Lua state. The task keeps the runtime
// alive while it waits, because something outside the VM will finish fn.
//
// If the runtime shuts down while fn runs, Block does not return: once fn
// returns, the task's goroutine ends (holding the token while its deferred
// functions run).
func (t *Task) Block(fn func(ctx context.Context) error) error {
	rt := t.rt
	s := &rt.s
	if t.release() {
		// Let the new holder run now, on this P, instead of after fn:
		// signal readies it as this P's next goroutine, where it would
		// wait until fn blocks (a socket write and read take several
		// microseconds) or another P steals it. Meanwhile the token would
		// sit idle and the ready queue grow; with a thousand connections
		// a longer queue means every waiting task's state is evicted from
		// the cache before it runs again, which costs more CPU per
		// message than this extra scheduling round.
		goruntime.Gosched()
	}

	err := fn(rt.ctx)

	// Even after shutdown began: queue for the token and leave holding it
	// (waitQueued).
	s.mu.Lock()
	grant := s.pushLocked(t)
	s.mu.Unlock()
	if grant == t.wake {
		// The token was free, so the queue was empty and the grant is
		// ours: take it at once instead of sending to our own wake
		// channel and receiving from it (about half the reads of a
		// busy echo server come back to a free token).
		t.takeTokenOrExit()
		return err
	}
	signal(grant)
	t.waitQueued()
	return err
}

// BlockDeep is Block for a one-off call with a deep Go call chain — a
// handshake, a TLS negotiation — that a long-lived task makes once: fn runs
// on a short-lived goroutine of its own, so that its depth does not grow the
// task's stack for the rest of the task's life. Go only shrinks a stack that
// is less than a quarter used, and a task parked inside gopher-lua never
// is, so a WebSocket handler whose upgrade ran deep would keep an 8 KiB
// stack instead of 4 KiB for as long as its connection lives.
func (t *Task) BlockDeep(fn func(ctx context.Context) error) error {
	return t.Block(func(ctx context.Context) error {
		done := make(chan error, 1)
		go func() { done <- fn(ctx) }()
		return <-done
	})
}

// Yield puts the task at the back of the ready queue and lets every task that
// is already ready run first (eco.sleep(0), silly's time.sleep(0)).
func (t *Task) Yield() {
	t.saveThread()
	s := &t.rt.s
	s.mu.Lock()
	s.pushLocked(t) // the token is held, so this never grants
	next := t.releaseLocked()
	s.mu.Unlock()
	signal(next)
	t.waitQueued()
}

// ErrTimeout is returned by Suspend when its timeout expired before Resume.
var ErrTimeout = errors.New("timeout")

// Suspend parks the task until another task calls Resume, and returns the
// value passed to Resume. With timeout > 0 it returns ErrTimeout if no Resume
// came in time; a negative or zero timeout waits without limit. A task
// suspended without a timeout does not keep the runtime alive: if every task
// is suspended that way, nothing can wake any of them and the runtime is
// idle.
func (t *Task) Suspend(timeout time.Duration) (any, error) {
	rt := t.rt
	s := &rt.s
	t.saveThread()
	s.mu.Lock()
	t.parked = true
	t.granted = false
	t.timedOut = false
	t.resumeVal = nil
	t.parkSeq++
	seq := t.parkSeq
	if timeout <= 0 {
		t.parkCounted = true
		// We hold the token, so an idle waiter this makes ready is only
		// queued; it is granted below like any other ready task.
		s.decBusyLocked()
	}
	next := t.releaseLocked()
	s.mu.Unlock()
	signal(next)

	var timer *time.Timer
	if timeout > 0 {
		timer = time.AfterFunc(timeout, func() {
			s.mu.Lock()
			var grant chan struct{}
			if t.parked && t.parkSeq == seq {
				t.parked = false
				t.timedOut = true
				grant = s.pushLocked(t)
			}
			s.mu.Unlock()
			signal(grant)
		})
	}
	t.waitGrant()
	if timer != nil {
		timer.Stop()
	}
	s.mu.Lock()
	v, timedOut := t.resumeVal, t.timedOut
	t.resumeVal = nil
	s.mu.Unlock()
	if timedOut {
		return nil, ErrTimeout
	}
	return v, nil
}

// Resume makes a task parked in Suspend ready again; its Suspend returns v.
// It reports false if target was not suspended (it already timed out, was
// resumed, or never waited). The caller must hold the token; target runs
// after the caller releases it, in FIFO order with the other ready tasks.
func (t *Task) Resume(target *Task, v any) bool {
	s := &t.rt.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if !target.parked {
		return false
	}
	target.parked = false
	target.resumeVal = v
	if target.parkCounted {
		target.parkCounted = false
		s.busy++
	}
	s.pushLocked(target) // the caller holds the token: never grants here
	return true
}

// ResumeYielded makes a task that called coroutine.yield on its own thread
// (outside any coroutine) ready again; that yield returns vals. It reports
// false if target is not parked in such a yield. Token required.
func (t *Task) ResumeYielded(target *Task, vals []lua.LValue) bool {
	if !target.rawYield {
		return false
	}
	return t.Resume(target, vals)
}

// Suspended reports whether the task is parked in Suspend. Token required.
func (t *Task) Suspended() bool {
	s := &t.rt.s
	s.mu.Lock()
	defer s.mu.Unlock()
	return t.parked
}

// WaitIdle parks the task until every other task has finished or is
// suspended without a timeout, and nothing outside the VM can wake one. It is
// what a script's explicit eco.loop() does.
func (t *Task) WaitIdle() {
	rt := t.rt
	s := &rt.s
	t.saveThread()
	s.mu.Lock()
	t.granted = false
	s.idleWaiters = append(s.idleWaiters, t)
	// Our own unit leaves the count; if that makes it zero we are the one
	// idle waiter and decBusyLocked queues us straight back.
	s.decBusyLocked()
	next := t.releaseLocked()
	s.mu.Unlock()
	signal(next)
	t.waitGrant()
}

// errorWithTrace turns a gopher-lua error into a message followed by a Lua
// stack traceback, as lua.c's message handler does: a string or a number
// is the message; another value gives the string its __tostring returns,
// called on L (nil when L may not run Lua code: no __tostring is called),
// else "(error object is a T value)".
func errorWithTrace(L *lua.LState, err error) string {
	var apiErr *lua.ApiError
	if errors.As(err, &apiErr) {
		msg := errorObjectMessage(L, apiErr.Object)
		if apiErr.StackTrace != "" {
			return msg + "\n" + apiErr.StackTrace
		}
		return msg
	}
	return fmt.Sprint(err)
}

// errorObjectMessage is the message lua.c reports for an uncaught error
// value v.
func errorObjectMessage(L *lua.LState, v lua.LValue) string {
	switch x := v.(type) {
	case lua.LString:
		return string(x)
	case lua.LNumber:
		return lua54.NumberToString(x)
	}
	if L != nil {
		if mm := L.GetMetaField(v, "__tostring"); mm != lua.LNil {
			top := L.GetTop()
			L.Push(mm)
			L.Push(v)
			// Only a string result counts (luaL_callmeta, then a type
			// check). An error in __tostring is reported instead, as
			// lua.c's handler, called again with it, does.
			err := lua54.PCallValue(L, 1, 1)
			if err != nil {
				return errorObjectMessage(nil, lua54.ErrorValue(err))
			}
			s, ok := L.Get(-1).(lua.LString)
			L.SetTop(top)
			if ok {
				return string(s)
			}
		}
	}
	return "(error object is a " + v.Type().String() + " value)"
}
