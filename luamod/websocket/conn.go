package websocket

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"github.com/golua-ws/golua-ws/luamod/golua/metrics"
	"github.com/golua-ws/golua-ws/luamod/internal/outbox"
	"github.com/golua-ws/golua-ws/runtime"
	"github.com/golua-ws/golua-ws/wscore"
	lua "github.com/yuin/gopher-lua"
)

// Defaults of Options.
const (
	// DefaultMaxQueued bounds the bytes a connection may have queued and
	// not yet written.
	DefaultMaxQueued = 4 << 20
	// DefaultWriteTimeout bounds how long one queued write may wait for
	// the peer to read.
	DefaultWriteTimeout = 10 * time.Second
	// earlyStart is the queue size past which a task's sends start the
	// writer at once instead of when the task gives up the token.
	earlyStart = 64 << 10
)

// Options are the layer's per-connection settings. The zero value takes
// the defaults. wscore's own options (frame and message limits, keepalive
// pings with PingInterval/PongTimeout, CloseTimeout) are given to wscore.
type Options struct {
	// MaxQueued bounds the bytes queued and not yet written (default
	// DefaultMaxQueued; negative: no bound). A send beyond it, into a
	// queue that is not empty, makes the connection a slow consumer.
	MaxQueued int
	// WriteTimeout bounds one queued write (default DefaultWriteTimeout;
	// negative: no bound). It is checked on the registry's clock, so a
	// write is failed between WriteTimeout and WriteTimeout+500 ms after
	// it began.
	WriteTimeout time.Duration
	// WholeMessages makes the queue write each item with WriteMessage
	// (fragmented per wscore's FragmentSize, as silly does) instead of as
	// one frame with WriteFrame (eco).
	WholeMessages bool
	// Dialect names the dialect for the metrics' dialect label ("eco",
	// "silly"); OptionNames.Parse sets it.
	Dialect string
}

// Conn is one live WebSocket connection of either dialect and either role.
// The dialect's binding calls its methods holding the VM token, except
// where a method says otherwise.
type Conn struct {
	ws  *wscore.Conn
	reg *Registry
	// prev and next link the registry's live connections (reg.mu).
	prev, next *Conn
	linked     bool

	out outbox.Outbox
	// m counts the connection's traffic when the runtime reports metrics
	// (nil: it does not, and nothing is counted).
	m          *metrics.Conn
	whole      bool
	writeTicks int64        // WriteTimeout in registry ticks; 0: none
	writing    atomic.Int64 // registry tick the write at work began at; 0: none

	// reading: a task waits in ReadFrame or ReadMessage; deadline: a
	// read deadline is armed; fragmenting: a message begun with a
	// non-final SendFrame is not finished. Token held.
	reading, deadline, fragmenting bool

	closing atomic.Bool // Close or Drop was called
	aborted atomic.Bool
	cause   atomic.Pointer[CloseError]

	// Parking an idle read (runtime.Task.Park): sock is the socket a
	// parked task waits on (nil: not parkable, such as TLS); waits counts
	// the waits begun and inWait marks one the registry's clock may
	// interrupt once it has lasted (idleTicks, the clock's own count);
	// parkReq marks that interruption; noPark that this connection's
	// reader cannot park (token); idleTask is the task parked in its
	// read, for Close to wake.
	sock      syscall.Conn
	waits     atomic.Uint64
	inWait    atomic.Bool
	seenWaits uint64 // registry clock only
	idleTicks int    // registry clock only
	parkReq   atomic.Bool
	noPark    bool
	idleTask  atomic.Pointer[runtime.Task]

	// What Finish does once the queue is written (set before out.Close).
	finDrop   bool
	finCode   int
	finReason string
}

// Wrap puts a connection whose opening handshake is done under the layer:
// it gets the bounded queue and joins rt's registry (closed with 1001 at a
// graceful shutdown, at once at the runtime's exit). Safe from any
// goroutine.
func Wrap(rt *runtime.Runtime, ws *wscore.Conn, o Options) *Conn {
	c := &Conn{ws: ws, whole: o.WholeMessages}
	c.out.Send = c.sendBatch
	c.out.Finish = c.finish
	c.out.EarlyStart = earlyStart
	switch {
	case o.MaxQueued == 0:
		c.out.Limit = DefaultMaxQueued
	case o.MaxQueued > 0:
		c.out.Limit = o.MaxQueued
	}
	wt := o.WriteTimeout
	if wt == 0 {
		wt = DefaultWriteTimeout
	}
	if wt > 0 {
		c.writeTicks = int64((wt + tickEvery - 1) / tickEvery)
	}
	if set := metrics.Of(rt); set != nil {
		c.m = set.Conn(dialectName(o.Dialect), ws.IsClient())
		c.m.Total.Inc()
	}
	if sc, ok := ws.NetConn().(syscall.Conn); ok {
		// A TLS connection is not one: readiness of its socket is not
		// readiness of a record.
		c.sock = sc
	}
	c.reg = RegistryOf(rt)
	c.reg.add(c)
	return c
}

// TakeOver makes a Conn of a connection whose handshake a dialect did
// itself (eco's con after a 101, eco's HTTP client's socket): buffered
// holds bytes read past the handshake. It is wscore.NewConnWith followed
// by Wrap.
func TakeOver(rt *runtime.Runtime, nc net.Conn, buffered []byte, client bool, wo *wscore.Options, neg wscore.Negotiated, o Options) *Conn {
	wo = countCloses(rt, o.Dialect, client, wo)
	var br *bufio.Reader
	if len(buffered) > 0 {
		br = bufio.NewReaderSize(bytes.NewReader(buffered), len(buffered))
		_, _ = br.Peek(len(buffered))
	}
	return Wrap(rt, wscore.NewConnWith(nc, br, client, wo, neg), o)
}

// Accept upgrades a net/http request (wscore.Accept) for t, which holds
// the token, wraps the connection and makes t its owner (Own). The
// handshake runs without the token on a goroutine of its own
// (Task.BlockDeep): its depth stays off the stack t keeps for the
// connection's whole life.
func Accept(t *runtime.Task, w http.ResponseWriter, r *http.Request, ao *wscore.AcceptOptions, o Options) (*Conn, error) {
	if ao == nil {
		ao = &wscore.AcceptOptions{}
	}
	if cw := countCloses(t.Runtime(), o.Dialect, false, &ao.Conn); cw != &ao.Conn {
		copied := *ao
		copied.Conn = *cw
		ao = &copied
	}
	var c *Conn
	err := t.BlockDeep(func(context.Context) error {
		ws, err := wscore.Accept(w, r, ao)
		if err == nil {
			c = Wrap(t.Runtime(), ws, o)
		}
		return err
	})
	if err != nil {
		handshakeFailed(t.Runtime(), o.Dialect, false, err)
		return nil, err
	}
	c.Own(t)
	return c, nil
}

// Dial connects to url (wscore.Dial) for t, which holds the token, within
// timeout (> 0; otherwise no bound), wraps the connection and makes t its
// owner (Own). The response is returned when there is one, on failure too.
func Dial(t *runtime.Task, timeout time.Duration, url string, do *wscore.DialOptions, o Options) (*Conn, *http.Response, error) {
	if do == nil {
		do = &wscore.DialOptions{}
	}
	if cw := countCloses(t.Runtime(), o.Dialect, true, &do.Conn); cw != &do.Conn {
		copied := *do
		copied.Conn = *cw
		do = &copied
	}
	var ws *wscore.Conn
	var resp *http.Response
	err := t.Block(func(ctx context.Context) error {
		if timeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, timeout)
			defer cancel()
		}
		var err error
		ws, resp, err = wscore.Dial(ctx, url, do)
		return err
	})
	if err != nil {
		handshakeFailed(t.Runtime(), o.Dialect, true, err)
		return nil, resp, err
	}
	c := Wrap(t.Runtime(), ws, o)
	c.Own(t)
	return c, resp, nil
}

// countCloses returns wo with OnCloseFrame counting close codes, as a
// copy, when rt reports metrics; otherwise wo itself.
func countCloses(rt *runtime.Runtime, dialect string, client bool, wo *wscore.Options) *wscore.Options {
	set := metrics.Of(rt)
	if set == nil {
		return wo
	}
	w := wscore.Options{}
	if wo != nil {
		w = *wo
	}
	w.OnCloseFrame = set.Conn(dialectName(dialect), client).CloseFrame
	return &w
}

// dialectName is the dialect label: Options.Dialect, "other" when unset.
func dialectName(d string) string {
	if d == "" {
		return "other"
	}
	return d
}

// handshakeFailed counts a failed opening handshake when rt reports
// metrics.
func handshakeFailed(rt *runtime.Runtime, dialect string, client bool, err error) {
	if set := metrics.Of(rt); set != nil {
		set.HandshakeFailed(dialect, client, err)
	}
}

// RefusedHandshake counts a handshake that a dialect refused by its own
// checks, before the layer's Accept or Dial (reason: the dialect's error
// message, classified by metrics.HandshakeReason's rules for text).
func RefusedHandshake(rt *runtime.Runtime, dialect string, client bool, msg string) {
	if set := metrics.Of(rt); set != nil {
		set.HandshakeRefused(dialect, client, msg)
	}
}

// WS returns the wscore connection (accessors; reads and writes go through
// the Conn).
func (c *Conn) WS() *wscore.Conn { return c.ws }

// Send queues a message (or, with WholeMessages unset, a final frame) of
// kind op; it never blocks. With t set (the running task), the writer
// starts when t gives up the token, so that t's own next read can write
// the queue (Claim); with t nil at once. A send that would take the queue
// beyond MaxQueued fails the connection as a slow consumer and returns the
// *CloseError (ErrSlowConsumer); after a failure every send returns it;
// after Close or Drop, ErrClosed; after a write error, that error.
func (c *Conn) Send(t *runtime.Task, op wscore.Opcode, data string) error {
	var err error
	if t != nil {
		err = c.out.PushAt(t, int(op), data)
	} else {
		err = c.out.Push(int(op), data)
	}
	switch {
	case err == nil:
		return nil
	case err == outbox.ErrFull:
		c.Fail(errSlow)
		return errSlow
	case err == outbox.ErrClosed:
		if ce := c.cause.Load(); ce != nil {
			return ce
		}
		return ErrClosed
	}
	return err
}

// SendFrame sends one frame for t (eco's send_frame). A whole
// uncompressed text or binary frame, a ping or a pong is queued (Send) and
// the send returns at once with the frame's size on the wire: it is
// written when t next gives up the token (by its own next read, usually).
// What WriteFrame would refuse is refused now; a network error shows on a
// later send or read, as it would with a kernel socket buffer. Anything
// else (a fragment, a close, a message that goes out compressed) is
// written now, after what is queued, with the token given up and under
// the write timeout; n is then what WriteFrame or WriteMessageN wrote.
// After a failure of the connection every call returns its error.
func (c *Conn) SendFrame(t *runtime.Task, fin bool, op wscore.Opcode, payload string) (n int, err error) {
	queueable := fin
	switch op {
	case wscore.OpText, wscore.OpBinary:
		queueable = queueable && !c.fragmenting && !c.ws.Compressed() && c.ws.DataWriteErr() == nil
	case wscore.OpPing, wscore.OpPong:
	default:
		queueable = false
	}
	if queueable {
		if err := c.Send(t, op, payload); err != nil {
			return 0, err
		}
		return wscore.FrameSize(len(payload), c.ws.IsClient()), nil
	}
	if err := c.out.Err(); err != nil {
		return 0, err
	}
	// With deflate in effect a single-frame data message goes out
	// compressed (WriteMessageN); everything else frame by frame.
	whole := fin && op.IsData() && c.ws.Compressed()
	claimed := c.out.Claim()
	err = t.Block(func(context.Context) error {
		c.out.Flush(claimed)
		return c.writeSync(func() error {
			var err error
			b := unsafe.Slice(unsafe.StringData(payload), len(payload)) // not modified
			if whole {
				n, err = c.ws.WriteMessageN(op, b)
			} else {
				n, err = c.ws.WriteFrame(fin, op, b)
			}
			return err
		})
	})
	if err != nil {
		return 0, err
	}
	switch op {
	case wscore.OpText, wscore.OpBinary, wscore.OpContinuation:
		c.fragmenting = !fin
		if c.m != nil {
			c.m.BytesOut.Add(float64(len(payload)))
			if fin {
				c.m.MsgsOut.Inc()
			}
		}
	}
	return n, nil
}

// Reading reports whether a task waits in ReadFrame or ReadMessage: a
// second reader is the dialect's error. Token required.
func (c *Conn) Reading() bool { return c.reading }

// ReadFrame reads the next frame into f for t, which holds the token.
// When nothing of ours is waiting to go out (so a close this read may send
// cannot overtake a reply) and the frame is already buffered, it is parsed
// without giving up the token, and no deadline matters. Otherwise what t
// queued is written by this read, on t's own goroutine, just before it
// waits for the peer (Claim, then Flush without the token: no writer
// goroutine, no extra switch per message), with timeout > 0 as the read
// deadline (otherwise none). The error is the layer's *CloseError when the
// layer ended the connection; a connection that is done leaves the
// registry.
//
// f is the caller's, and the deadline is set by a function of its own, to
// keep this frame small: an idle handler sits in it, and a few more bytes
// on that stack can double the goroutine's stack (4 KiB per idle
// connection).
func (c *Conn) ReadFrame(t *runtime.Task, timeout time.Duration, f *wscore.Frame) (err error) {
	if claimed, busy := c.out.Take(); !busy && c.ws.FrameBuffered() {
		*f, err = c.ws.ReadFrame()
	} else {
		err = c.wait(t, timeout, claimed, func() error {
			var err error
			*f, err = c.ws.ReadFrame()
			return err
		})
		if err == ErrIdle {
			return err
		}
	}
	if err != nil {
		err = c.readErr(err)
	} else if c.m != nil && (f.Opcode.IsData() || f.Opcode == wscore.OpContinuation) {
		c.m.BytesIn.Add(float64(len(f.Payload)))
		if f.Fin {
			c.m.MsgsIn.Inc()
		}
	}
	return err
}

// ErrIdle is ReadFrame's and ReadMessage's error when their wait for the
// peer has lasted long enough that the reading task should park
// (runtime.Task.Park) instead of keeping a goroutine: the caller calls
// Park and, once resumed, reads again; nothing was lost. If Park refuses,
// it reads again at once. Reading stays true until then.
var ErrIdle = errors.New("websocket: read idle")

// idleAfter is how many registry ticks a read wait lasts before the clock
// asks it to park (1 s to 1.25 s): short enough that idle connections
// shed their goroutines soon, long enough that a connection in regular
// use never parks between its messages.
const idleAfter = 4

// Park parks t, the reader that got ErrIdle, on the connection's socket
// (runtime.Task.Park, with retry finishing the read). If it cannot — the
// read was called under a pcall, from a coroutine, ... — the clock stops
// interrupting this connection's waits, and the caller reads again.
// Token required.
func (c *Conn) Park(t *runtime.Task, L *lua.LState, retry func(L *lua.LState) int) (n int, parked bool) {
	if n, ok := t.Park(L, c.sock, retry); ok {
		return n, true
	}
	c.noPark = true
	return 0, false
}

// wait runs read without the token for t, after writing what t queued
// (claimed, as Take returned it) and arming the read deadline (timeout >
// 0). A wait without a deadline on a parkable socket may be interrupted by
// the registry's clock (requestPark); then it returns ErrIdle, or, if the
// interruption hit a wait it was not meant for, waits again.
func (c *Conn) wait(t *runtime.Task, timeout time.Duration, claimed bool, read func() error) error {
	c.idleTask.Store(nil)
	c.reading = true
	for {
		c.setDeadline(timeout)
		parkable := timeout <= 0 && c.sock != nil && !c.noPark
		if parkable {
			c.waits.Add(1)
			c.inWait.Store(true)
		}
		err := t.Block(func(context.Context) error {
			if claimed {
				c.out.Flush(true)
				claimed = false
			} else {
				c.out.Flush(false)
			}
			return read()
		})
		c.inWait.Store(false)
		if !c.parkReq.Swap(false) {
			c.reading = false
			return err
		}
		// The clock's deadline: take it back (setDeadline re-arms a
		// timeout of this call's own).
		_ = c.ws.SetReadDeadline(time.Time{})
		c.deadline = false
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			c.reading = false
			return err
		}
		if parkable && !c.closing.Load() {
			// Still the reader while parked: a second reader is refused
			// as while the wait went on.
			c.idleTask.Store(t)
			return ErrIdle
		}
	}
}

// requestPark interrupts the current read wait so that its task parks
// (ErrIdle). The registry's clock calls it; safe from any goroutine.
func (c *Conn) requestPark() {
	if c.parkReq.Swap(true) {
		return
	}
	_ = c.ws.SetReadDeadline(time.Unix(1, 0))
}

// wakeIdle resumes the task parked in this connection's read, if any, so
// that it sees the close.
func (c *Conn) wakeIdle() {
	if t := c.idleTask.Swap(nil); t != nil {
		t.Unpark()
	}
}

// setDeadline arms a read deadline timeout from now (timeout > 0) or
// disarms one armed before.
//
//go:noinline
func (c *Conn) setDeadline(timeout time.Duration) {
	if timeout > 0 {
		_ = c.ws.SetReadDeadline(time.Now().Add(timeout))
		c.deadline = true
	} else if c.deadline {
		_ = c.ws.SetReadDeadline(time.Time{})
		c.deadline = false
	}
}

// ReadMessage reads the next whole message for t as ReadFrame reads a
// frame (without a deadline). data is valid until the next read.
func (c *Conn) ReadMessage(t *runtime.Task) (op wscore.Opcode, data []byte, err error) {
	if claimed, busy := c.out.Take(); !busy && c.ws.MessageBuffered() {
		op, data, err = c.ws.ReadMessage()
	} else {
		err = c.wait(t, 0, claimed, func() error {
			var err error
			op, data, err = c.ws.ReadMessage()
			return err
		})
		if err == ErrIdle {
			return 0, nil, err
		}
	}
	if err != nil {
		err = c.readErr(err)
	} else if c.m != nil && op.IsData() {
		c.m.BytesIn.Add(float64(len(data)))
		c.m.MsgsIn.Inc()
	}
	return op, data, err
}

// readErr is a failed read's error: the layer's reason when it ended the
// connection; a connection that is done leaves the registry.
func (c *Conn) readErr(err error) error {
	if ce := c.cause.Load(); ce != nil {
		err = ce
	}
	c.Release()
	return err
}

// sendBatch is the queue's writer. Each item's write is timed on its own:
// a peer that reads slowly but steadily is not cut off for the size of a
// batch.
func (c *Conn) sendBatch(items []outbox.Item) error {
	var err error
	for _, it := range items {
		c.beginWrite()
		if c.whole {
			err = c.ws.WriteMessage(wscore.Opcode(it.Kind), it.Bytes())
		} else {
			_, err = c.ws.WriteFrame(true, wscore.Opcode(it.Kind), it.Bytes())
		}
		if err != nil {
			break
		}
		if c.m != nil && wscore.Opcode(it.Kind).IsData() {
			c.m.BytesOut.Add(float64(len(it.Data)))
			c.m.MsgsOut.Inc()
		}
	}
	c.writing.Store(0)
	return err
}

func (c *Conn) beginWrite() {
	if c.writeTicks > 0 {
		c.writing.Store(c.reg.tick.Load())
	}
}

// writeSync runs fn, a synchronous write (a compressed or fragmented
// message), under the write timeout. Call it without the token, after
// the queue's Flush.
func (c *Conn) writeSync(fn func() error) error {
	c.beginWrite()
	err := fn()
	c.writing.Store(0)
	if ce := c.cause.Load(); ce != nil && err != nil {
		return ce
	}
	return err
}

// Pending returns the bytes queued and not yet written.
func (c *Conn) Pending() int { return c.out.Pending() }

// Err returns why sends fail: the layer's *CloseError, a write error, or
// nil.
func (c *Conn) Err() error { return c.out.Err() }

// Cause returns the *CloseError with which the layer ended the connection
// (slow consumer, write timeout, going away, failed handler), or nil.
// Dialects consult it first when mapping a read or write error.
func (c *Conn) Cause() *CloseError { return c.cause.Load() }

// Fail tears the connection down at once because of ce (a slow consumer,
// a write timeout): the queue is dropped, a close frame with ce.Code is
// attempted only if it can go out without waiting, and the TCP connection
// is closed, which ends a blocked write or read. Safe from any goroutine.
func (c *Conn) Fail(ce *CloseError) {
	c.cause.CompareAndSwap(nil, ce)
	c.out.Fail(ce)
	if c.aborted.Swap(true) {
		return
	}
	c.reg.remove(c)
	// Abort may wait a few milliseconds for socket buffer room: not on
	// the sending task.
	go func() {
		c.ws.Abort(ce.Code, ce.Reason)
		c.wakeIdle()
	}()
}

// Close closes the connection after everything queued: a close frame with
// code and reason (code 0: an empty close frame; the peer's code is echoed
// if it closed first), the peer's reply awaited up to wscore's
// CloseTimeout, then the TCP connection is closed. It never blocks. It
// reports false if Close or Drop was called before.
func (c *Conn) Close(code int, reason string) bool {
	if c.closing.Swap(true) {
		return false
	}
	c.finCode, c.finReason = code, reason
	ok := c.out.Close()
	c.wakeIdle()
	return ok
}

// Drop closes the TCP connection after everything queued, without a close
// frame (lua-eco's ws.sock:close() and the end of its handler). It reports
// false if Close or Drop was called before.
func (c *Conn) Drop() bool {
	if c.closing.Swap(true) {
		return false
	}
	c.finDrop = true
	ok := c.out.Close()
	c.wakeIdle()
	return ok
}

// Closed reports whether Close or Drop was called.
func (c *Conn) Closed() bool { return c.closing.Load() }

// finish is the queue's Finish: the close Close or Drop asked for.
func (c *Conn) finish() {
	if c.finDrop || c.out.Err() != nil {
		_ = c.ws.CloseNow()
	} else {
		_ = c.ws.Close(c.finCode, c.finReason)
	}
	c.reg.remove(c)
	c.wakeIdle()
}

// Own ties the connection to the task that upgraded or dialled it: when t
// ends with an error (an uncaught Lua error, or a Go panic in a binding,
// which the runtime reports with its stack), the connection is closed with
// 1011 after what is queued, the close handshake bounded by wscore's
// CloseTimeout, and its descriptor released. A normal end changes nothing:
// the dialect decides (eco closes at the handler's end, silly keeps the
// socket). Token required.
func (c *Conn) Own(t *runtime.Task) {
	t.OnExit(func() {
		if t.Err() == nil {
			return
		}
		c.cause.CompareAndSwap(nil, errFailed)
		c.Close(errFailed.Code, errFailed.Reason)
	})
}

// Release takes a connection that ended by itself (the peer closed, a
// protocol error failed it) out of the registry. Dialects call it when a
// read reports the connection done; it is harmless otherwise.
func (c *Conn) Release() {
	select {
	case <-c.ws.Done():
		c.reg.remove(c)
	default:
	}
}
