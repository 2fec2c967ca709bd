package sillynet

import (
	"bytes"
	"context"
	"errors"
	"net"
	"time"

	"github.com/golua-ws/golua-ws/runtime"
)

// readAheadCap bounds read-ahead after conn:limit(nil). silly then reads
// without limit; here a peer can fill at most this much of a conn's memory
// before the socket is left unread until a task consumes.
const readAheadCap = 4 << 20

// readAheadChunk is the largest single read of the read-ahead goroutine.
const readAheadChunk = 64 << 10

// readAhead is the state of silly's flow-controlled reading, switched on by
// conn:limit(n): a goroutine (pump) reads the socket into the conn's buffer
// while fewer than limit bytes are buffered, or while a task waits for more
// than that, so conn:unreadbytes() shows what has arrived, as in silly.
// Without conn:limit the socket is read only when a task asks, which keeps a
// conn's memory at what its script reads.
type readAhead struct {
	on      bool          // conn:limit was called; the pump runs or is due
	started bool          // the pump goroutine was started
	stopped bool          // the conn was closed: the pump exits
	limit   int           // pause once this many bytes are buffered
	want    int           // a waiting task needs this many bytes buffered
	wake    chan struct{} // capacity 1; pump to reader: bytes or an error came
	resume  chan struct{} // capacity 1; to pump: the buffer shrank, limit or want changed
}

func signalChan(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// Unread is the number of buffered bytes no task has read yet.
func (c *Conn) Unread() int {
	c.bmu.Lock()
	defer c.bmu.Unlock()
	return len(c.buf) - c.rpos
}

// SetLimit is conn:limit: n > 0 reads ahead until n bytes are buffered;
// n <= 0 (limit(nil)) lifts a limit set before (up to readAheadCap) and
// does nothing on a conn that never had one.
func (c *Conn) SetLimit(n int) {
	if c.Closed() {
		return
	}
	c.bmu.Lock()
	if n <= 0 {
		if !c.ra.on {
			c.bmu.Unlock()
			return
		}
		n = readAheadCap
	}
	c.ra.limit = n
	if !c.ra.on {
		c.ra.on = true
		c.ra.wake = make(chan struct{}, 1)
		c.ra.resume = make(chan struct{}, 1)
	}
	// A task in a plain read owns the socket until its read returns; fill
	// starts the pump then.
	start := !c.ra.started && !c.reading
	if start {
		c.ra.started = true
	}
	c.bmu.Unlock()
	if start {
		go c.pump()
	} else {
		signalChan(c.ra.resume)
	}
}

// stopReadAhead ends the pump (conn closed).
func (c *Conn) stopReadAhead() {
	c.bmu.Lock()
	on := c.ra.on
	c.ra.stopped = true
	c.bmu.Unlock()
	if on {
		signalChan(c.ra.resume)
		signalChan(c.ra.wake)
	}
}

// pump is the read-ahead goroutine. It ends when the conn is closed, the
// socket fails or the runtime shuts down.
func (c *Conn) pump() {
	_ = c.nc.SetReadDeadline(time.Time{})
	chunk := make([]byte, readAheadChunk)
	done := c.rt.Context().Done()
	for {
		c.bmu.Lock()
		for {
			if c.ra.stopped || c.rerr != nil {
				c.bmu.Unlock()
				return
			}
			buffered := len(c.buf) - c.rpos
			if buffered < c.ra.limit || buffered < c.ra.want {
				break
			}
			c.bmu.Unlock()
			select {
			case <-c.ra.resume:
			case <-done:
				return
			}
			c.bmu.Lock()
		}
		// Read no further than the limit unless a task waits for more, so
		// unreadbytes stops where silly's pause would.
		size := len(chunk)
		if buffered := len(c.buf) - c.rpos; c.ra.want <= buffered && c.ra.limit-buffered < size {
			size = c.ra.limit - buffered
		}
		c.bmu.Unlock()
		n, err := c.nc.Read(chunk[:size])
		if c.stats != nil {
			c.stats.received.Add(uint64(n))
		}
		c.bmu.Lock()
		if n > 0 {
			if c.rpos > 0 && c.rpos >= len(c.buf)/2 {
				m := copy(c.buf, c.buf[c.rpos:])
				c.buf, c.rpos = c.buf[:m], 0
			}
			c.buf = append(c.buf, chunk[:n]...)
		}
		// A timeout here comes from Close's deadline: the loop then stops.
		if err != nil && !c.ra.stopped && !isTimeout(err) {
			c.rerr = err
		}
		c.bmu.Unlock()
		signalChan(c.ra.wake)
	}
}

// deadlineAfter turns a read timeout (0: none) into a deadline.
func deadlineAfter(timeout time.Duration) time.Time {
	if timeout <= 0 {
		return time.Time{}
	}
	return time.Now().Add(timeout)
}

// ReadN reads exactly n bytes (silly's conn:read(n)), waiting up to timeout
// (0: no limit). On EOF the bytes read so far stay buffered.
func (c *Conn) ReadN(t *runtime.Task, n int, timeout time.Duration) (string, string) {
	dl := deadlineAfter(timeout)
	for {
		c.bmu.Lock()
		if len(c.buf)-c.rpos >= n {
			s := string(c.buf[c.rpos : c.rpos+n])
			c.consume(n)
			c.bmu.Unlock()
			return s, ""
		}
		c.bmu.Unlock()
		if e := c.fill(t, n, dl); e != "" {
			return "", e
		}
	}
}

// ReadDelim reads up to and including delim.
func (c *Conn) ReadDelim(t *runtime.Task, delim byte, timeout time.Duration) (string, string) {
	dl := deadlineAfter(timeout)
	scanned := 0
	for {
		c.bmu.Lock()
		if i := bytes.IndexByte(c.buf[c.rpos+scanned:], delim); i >= 0 {
			end := scanned + i + 1
			s := string(c.buf[c.rpos : c.rpos+end])
			c.consume(end)
			c.bmu.Unlock()
			return s, ""
		}
		scanned = len(c.buf) - c.rpos
		c.bmu.Unlock()
		if e := c.fill(t, scanned+1, dl); e != "" {
			return "", e
		}
	}
}

// consume drops n read bytes and lets a paused pump go on. Called with
// c.bmu held.
func (c *Conn) consume(n int) {
	c.rpos += n
	if c.rpos == len(c.buf) {
		c.buf = c.buf[:0]
		c.rpos = 0
	}
	if c.ra.started {
		signalChan(c.ra.resume)
	}
}

// fill waits until more bytes are buffered (need is how many the caller
// wants in all), releasing the VM token while it waits. It returns silly's
// errno string on failure.
func (c *Conn) fill(t *runtime.Task, need int, dl time.Time) string {
	if c.Closed() {
		return ErrClosed
	}
	if c.reading {
		// silly asserts here; two readers would race on the buffer.
		return "conn is already being read by another task"
	}
	if !dl.IsZero() && !time.Now().Before(dl) {
		return ErrTimedOut
	}
	c.bmu.Lock()
	if c.rerr != nil {
		err := c.rerr
		c.bmu.Unlock()
		return ErrString(err)
	}
	if c.ra.started {
		c.ra.want = need
		c.bmu.Unlock()
		return c.waitPump(t, dl)
	}
	if c.rpos > 0 && c.rpos == len(c.buf) {
		c.buf, c.rpos = c.buf[:0], 0
	}
	if cap(c.buf)-len(c.buf) < 2048 {
		if c.rpos > 0 {
			n := copy(c.buf, c.buf[c.rpos:])
			c.buf, c.rpos = c.buf[:n], 0
		}
		if cap(c.buf)-len(c.buf) < 2048 {
			nb := make([]byte, len(c.buf), 2*cap(c.buf)+4096)
			copy(nb, c.buf)
			c.buf = nb
		}
	}
	// Only this task touches the spare capacity while c.reading is set (the
	// pump is not running), so the read fills it without the lock.
	spare := c.buf[len(c.buf):cap(c.buf)]
	c.bmu.Unlock()
	c.reading = true
	var n int
	err := t.Block(func(ctx context.Context) error {
		_ = c.nc.SetReadDeadline(dl)
		var err error
		n, err = c.nc.Read(spare)
		return err
	})
	c.reading = false
	if c.stats != nil {
		c.stats.received.Add(uint64(n))
	}
	c.bmu.Lock()
	c.buf = c.buf[:len(c.buf)+n]
	if err != nil && n == 0 && !c.closedLocked() && !isTimeout(err) {
		c.rerr = err
	}
	start := c.ra.on && !c.ra.started && !c.ra.stopped
	if start {
		c.ra.started = true
	}
	c.bmu.Unlock()
	if start {
		go c.pump()
	}
	switch {
	case n > 0:
		return ""
	case c.Closed():
		return ErrClosed
	case err == nil:
		return ""
	case isTimeout(err):
		return ErrTimedOut
	}
	return ErrString(err)
}

// closedLocked reads the closed flag while c.bmu is held (lock order: bmu,
// then mu).
func (c *Conn) closedLocked() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

// waitPump waits, without the token, for the read-ahead goroutine to add
// bytes (or fail), for dl, or for a close.
func (c *Conn) waitPump(t *runtime.Task, dl time.Time) string {
	c.reading = true
	signalChan(c.ra.resume)
	timedOut := false
	err := t.Block(func(ctx context.Context) error {
		var expire <-chan time.Time
		if !dl.IsZero() {
			tm := time.NewTimer(time.Until(dl))
			defer tm.Stop()
			expire = tm.C
		}
		select {
		case <-c.ra.wake:
		case <-expire:
			timedOut = true
		case <-ctx.Done():
			return ctx.Err()
		}
		return nil
	})
	c.reading = false
	c.bmu.Lock()
	c.ra.want = 0
	c.bmu.Unlock()
	switch {
	case c.Closed(), err != nil:
		return ErrClosed
	case timedOut:
		return ErrTimedOut
	}
	return ""
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
