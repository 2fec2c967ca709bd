package fdio

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/golua-ws/golua-ws/runtime"
	"golang.org/x/sys/unix"
)

// Events is a set of readiness events, with epoll's values as lua-eco's
// eco.READ and eco.WRITE have.
type Events uint32

// The events a wait can ask for.
const (
	Read  Events = unix.EPOLLIN
	Write Events = unix.EPOLLOUT
)

// fairness is how long a task may keep the token through I/O that never
// blocks (a regular file, a fast peer) before it lets the other ready
// tasks run: lua-eco's IO_FAIRNESS_DURATION.
const fairness = 300 * time.Millisecond

// pollSlice bounds one poll(2) call for an fd the netpoller refuses, so
// that cancel and shutdown are noticed promptly.
const pollSlice = 20 * time.Millisecond

// settleYields bounds how many times a wait that ended ready lets the
// tasks ready meanwhile run first (lua-eco delivers readiness only after
// its ready queue has run).
const settleYields = 8

// readFirstGrace and readFirstMax bound how long a write waiter gives the
// read waiter of the same fd to become ready and to run first (readFirst).
const (
	readFirstGrace = 2 * time.Millisecond
	readFirstMax   = 50 * time.Millisecond
)

// Handle is one eco.io, eco.reader or eco.writer object's hold on an fd:
// at most one task waits through a handle, and at most one handle waits
// for each direction of an fd. Its methods need the VM token.
type Handle struct {
	tb *Table
	fd int
	e  *entry // fd's entry, looked up again (fstat) before each wait
	w  *wait  // the wait in progress, or nil
}

// wait is one task's wait through a handle.
type wait struct {
	ev       Events
	e        *entry
	cancel   chan struct{} // closed by Cancel
	canceled bool
}

// NewHandle makes a handle on fd, switching fd to nonblocking mode as
// lua-eco does. It fails as fcntl(2) does on an fd that is not open.
func (tb *Table) NewHandle(fd int) (*Handle, error) {
	if err := unix.SetNonblock(fd, true); err != nil {
		return nil, fmt.Errorf("fdio: fd %d: %w", fd, err)
	}
	return &Handle{tb: tb, fd: fd, e: tb.lookup(fd)}, nil
}

// FD returns the handle's fd number.
func (h *Handle) FD() int { return h.fd }

// CheckBusy returns ErrBusy if a task is waiting through h, and ErrReadBusy
// or ErrWriteBusy if another handle waits for a direction of ev on the fd.
func (h *Handle) CheckBusy(ev Events) error {
	if h.w != nil {
		return ErrBusy
	}
	e := h.e
	if ev&Read != 0 && e.reader != nil && e.reader != h {
		return ErrReadBusy
	}
	if ev&Write != 0 && e.writer != nil && e.writer != h {
		return ErrWriteBusy
	}
	return nil
}

// Wait waits until the fd is ready for one of ev, for at most timeout
// (none if timeout <= 0), and returns nil, ErrTimeout, ErrCanceled or the
// error of the fd. Like lua-eco's io:wait it always lets the tasks that are
// ready run first, even when the fd is ready at once.
func (h *Handle) Wait(t *runtime.Task, ev Events, timeout time.Duration) error {
	if err := h.CheckBusy(ev); err != nil {
		return err
	}
	return h.block(t, ev, timeout, true)
}

// Cancel ends the wait in progress on h: it returns ErrCanceled once its
// task runs again. It does not run that task before returning, and does
// nothing if no task waits through h.
func (h *Handle) Cancel() {
	w := h.w
	if w == nil || w.canceled {
		return
	}
	w.canceled = true
	close(w.cancel)
	w.e.kick(w.ev)
}

// block waits for ev with the token released. settle makes a wait that
// ended ready let the tasks that became ready meanwhile run first, as
// lua-eco's loop delivers readiness only after the ready queue has run.
func (h *Handle) block(t *runtime.Task, ev Events, timeout time.Duration, settle bool) error {
	if err := h.CheckBusy(ev); err != nil {
		return err
	}
	e := h.tb.lookup(h.fd)
	h.e = e
	w := &wait{ev: ev, e: e, cancel: make(chan struct{})}
	h.w = w
	if ev&Read != 0 {
		e.reader = h
	}
	if ev&Write != 0 {
		e.writer = h
	}
	defer func() {
		h.w = nil
		if e.reader == h {
			e.reader = nil
		}
		if e.writer == h {
			e.writer = nil
		}
	}()
	var deadline time.Time
	if timeout > 0 {
		deadline = time.Now().Add(timeout)
	}
	err := t.Block(func(ctx context.Context) error {
		return e.await(ctx, ev, deadline, w.cancel)
	})
	if err == nil && settle {
		for i := 0; i < settleYields && t.Runtime().ReadyCount() > 0; i++ {
			t.Yield()
		}
		if ev&Read == 0 {
			h.readFirst(t, e)
		}
	}
	if w.canceled {
		return ErrCanceled
	}
	return err
}

// readFirst keeps lua-eco's order for one fd that is readable and writable
// at once: its loop resumes the fd's read waiter before its write waiter,
// and the reader may cancel the writer meanwhile. So a write wait that
// ended ready lets a reader waiting on the same fd run first if the fd is
// readable, or becomes readable within readFirstGrace (a write by another
// task may be under way off the token). The reader's wake-up comes from
// the netpoller on another goroutine; it is waited for within readFirstMax.
func (h *Handle) readFirst(t *runtime.Task, e *entry) {
	rd := e.reader
	if rd == nil || rd == h || rd.w == nil {
		return
	}
	w := rd.w
	start := time.Now()
	for rd.w == w && time.Since(start) < readFirstMax {
		if ready, _ := pollReady(e.fd, Read, 0); !ready && time.Since(start) >= readFirstGrace {
			return
		}
		if t.Runtime().ReadyCount() > 0 {
			t.Yield()
		} else {
			t.Sleep(time.Millisecond)
		}
	}
}

// await blocks until the fd is ready for one of ev, the deadline passes
// (ErrTimeout), cancel is closed (nil: the caller knows it canceled) or
// ctx ends. It runs without the token.
func (e *entry) await(ctx context.Context, ev Events, deadline time.Time, cancel <-chan struct{}) error {
	if ready, err := pollReady(e.fd, ev, 0); ready || err != nil {
		return err
	}
	p, err := e.acquirePoller()
	if err != nil {
		return err
	}
	defer e.releasePoller(p)
	if !p.pollable {
		return e.pollLoop(ctx, ev, deadline, cancel)
	}
	if ev&Read != 0 && ev&Write != 0 {
		return e.awaitEither(deadline, cancel, p)
	}
	return e.awaitOne(ev, deadline, cancel, p)
}

// awaitOne waits on the netpoller for a single direction.
func (e *entry) awaitOne(ev Events, deadline time.Time, cancel <-chan struct{}, p *poller) error {
	var pollErr error
	check := func(uintptr) bool {
		select {
		case <-cancel:
			return true
		default:
		}
		ready, err := pollReady(e.fd, ev, 0)
		pollErr = err
		return ready || err != nil
	}
	var err error
	if ev&Read != 0 {
		// The deadline is set before the check runs: a Cancel that
		// comes after the check moves it into the past and so wakes
		// the wait.
		if err = p.file.SetReadDeadline(deadline); err == nil {
			err = p.rc.Read(check)
		}
	} else {
		if err = p.file.SetWriteDeadline(deadline); err == nil {
			err = p.rc.Write(check)
		}
	}
	if pollErr != nil {
		return pollErr
	}
	if err != nil && !errors.Is(err, os.ErrDeadlineExceeded) && e.isClosed() {
		// Table.Close or the runtime's end closed the poller under the
		// wait (RawConn reports "use of closed file", not os.ErrClosed).
		err = os.ErrClosed
	}
	return waitError(err, cancel)
}

// awaitEither waits for either direction, the write side on a goroutine
// of its own; the side that ends first ends the other.
func (e *entry) awaitEither(deadline time.Time, cancel <-chan struct{}, p *poller) error {
	done := make(chan struct{})
	var once sync.Once
	finish := func(other Events) {
		once.Do(func() { close(done) })
		e.kick(other)
	}
	ended := mergeDone(cancel, done)
	writeErr := make(chan error, 1)
	go func() {
		err := e.awaitOne(Write, deadline, ended, p)
		finish(Read)
		writeErr <- err
	}()
	err := e.awaitOne(Read, deadline, ended, p)
	finish(Write)
	werr := <-writeErr
	// Each side also returns nil when the other ended it: decide from the
	// cancel and the fd's state now.
	select {
	case <-cancel:
		return nil
	default:
	}
	if ready, perr := pollReady(e.fd, Read|Write, 0); ready || perr != nil {
		return perr
	}
	if err == nil {
		err = werr
	}
	if err == nil {
		err = ErrTimeout
	}
	return err
}

// mergeDone returns a channel closed when either a or b is closed.
func mergeDone(a <-chan struct{}, b <-chan struct{}) <-chan struct{} {
	c := make(chan struct{})
	go func() {
		select {
		case <-a:
		case <-b:
		}
		close(c)
	}()
	return c
}

// waitError maps the error of a netpoller wait to this package's.
func waitError(err error, cancel <-chan struct{}) error {
	select {
	case <-cancel:
		return nil
	default:
	}
	switch {
	case err == nil:
		return nil
	case errors.Is(err, os.ErrDeadlineExceeded):
		return ErrTimeout
	case errors.Is(err, os.ErrClosed):
		// The fd was closed through the table, or the runtime ended.
		return fmt.Errorf("fdio: wait: %w", unix.EBADF)
	}
	return fmt.Errorf("fdio: wait: %w", err)
}

// pollLoop waits with poll(2) in short slices, for fds the netpoller
// refuses.
func (e *entry) pollLoop(ctx context.Context, ev Events, deadline time.Time, cancel <-chan struct{}) error {
	for {
		select {
		case <-cancel:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		slice := pollSlice
		if !deadline.IsZero() {
			left := time.Until(deadline)
			if left <= 0 {
				return ErrTimeout
			}
			slice = min(slice, left)
		}
		if ready, err := pollReady(e.fd, ev, slice); ready || err != nil {
			return err
		}
	}
}

// pollReady reports whether fd is ready for one of ev, waiting up to d.
// An error or hang-up on the fd counts as ready, as with epoll: the next
// read or write reports it.
func pollReady(fd int, ev Events, d time.Duration) (bool, error) {
	var events int16
	if ev&Read != 0 {
		events |= unix.POLLIN
	}
	if ev&Write != 0 {
		events |= unix.POLLOUT
	}
	fds := []unix.PollFd{{Fd: int32(fd), Events: events}}
	for {
		n, err := unix.Poll(fds, int(d/time.Millisecond))
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return false, fmt.Errorf("fdio: poll fd %d: %w", fd, err)
		}
		if n == 0 {
			return false, nil
		}
		if fds[0].Revents&unix.POLLNVAL != 0 {
			return false, fmt.Errorf("fdio: poll fd %d: %w", fd, unix.EBADF)
		}
		return true, nil
	}
}

// fair lets the other ready tasks run when t has kept the token through
// I/O for longer than lua-eco lets a coroutine.
func fair(t *runtime.Task) {
	if time.Since(t.RunningSince()) > fairness {
		t.Yield()
	}
}
