package rfc6455

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

// peer is the suite's side of one case: it writes frames masked or not
// according to the role, reads and validates what the target sends, and
// turns it into events (whole messages, pings, pongs, close, TCP close).
type peer struct {
	t              *testing.T
	c              *testCase
	opts           SuiteOptions
	targetIsClient bool
	timeout        time.Duration
	dial           func() *RawConn

	rc    *RawConn
	defl  *deflateSession
	wq    chan writeOp
	wdone chan struct{}

	frag      *fragState // the target's message in progress
	closeSent bool       // we sent a close frame
	closed    bool       // the closing handshake or failure has been asserted

	lastCompressed bool // the last message event arrived compressed
}

type fragState struct {
	op         byte
	compressed bool
	buf        bytes.Buffer
}

type writeOp struct {
	b     []byte
	chop  int
	delay time.Duration
	sync  chan struct{} // closed once written (nil: fire and forget)
}

// start attaches a connection and the writer goroutine. Writes go through
// one ordered queue so that a case can keep reading while a large message is
// still being written (an echo that streams back cannot deadlock us).
func (p *peer) start(rc *RawConn) {
	p.rc = rc
	p.wq = make(chan writeOp, 1024)
	p.wdone = make(chan struct{})
	p.frag, p.closeSent, p.closed = nil, false, false
	go func(rc *RawConn, wq chan writeOp, done chan struct{}) {
		defer close(done)
		failed := false
		for op := range wq {
			if !failed && op.b != nil {
				var err error
				if op.chop > 0 {
					err = rc.WriteChopped(op.b, op.chop, op.delay)
				} else {
					err = rc.WriteRaw(op.b)
				}
				// After a failed write the rest are dropped: the case
				// sees the broken connection on its next read.
				failed = err != nil
			}
			if op.sync != nil {
				close(op.sync)
			}
		}
	}(rc, p.wq, p.wdone)
}

// stop ends the writer and closes TCP.
func (p *peer) stop() {
	if p.wq == nil {
		return
	}
	close(p.wq)
	select {
	case <-p.wdone:
	case <-time.After(15 * time.Second):
	}
	p.rc.Close()
	<-p.wdone
	p.wq = nil
}

// finish ends a case: a case that has not already asserted a close ends with
// a normal closing handshake, so every case checks the connection is still
// healthy at its end.
func (p *peer) finish() {
	defer p.stop()
	if p.t.Failed() || p.t.Skipped() {
		return
	}
	if !p.closed {
		p.closeNormally()
	}
}

// reconnect ends the current connection (after its case-specific checks) and
// opens a fresh one, for cases that need several connections.
func (p *peer) reconnect() {
	p.finish()
	p.start(p.dial())
}

func (p *peer) fatalf(format string, args ...any) {
	p.t.Helper()
	msg := fmt.Sprintf(format, args...)
	if p.opts.Report != nil {
		role := "server"
		if p.targetIsClient {
			role = "client"
		}
		p.opts.Report.add(Failure{Role: role, ID: p.t.Name()[strings.LastIndex(p.t.Name(), "/")+1:], Desc: p.c.desc, Msg: msg})
	}
	p.t.Fatalf("%s\n  case: %s", msg, p.c.desc)
}

// --- sending ---------------------------------------------------------------

// frame encodes one frame as the role requires: masked when the suite is the
// client (the target is a server), unmasked otherwise.
func (p *peer) frame(fin bool, rsv, op byte, payload []byte) []byte {
	return AppendFrame(nil, fin, rsv, op, !p.targetIsClient, payload)
}

// send writes bytes in one write.
func (p *peer) send(b ...[]byte) {
	p.wq <- writeOp{b: bytes.Join(b, nil)}
}

// sendChopped writes bytes in pieces of chop bytes with delay between them.
func (p *peer) sendChopped(b []byte, chop int, delay time.Duration) {
	p.wq <- writeOp{b: b, chop: chop, delay: delay}
}

// sendFrames writes frames one write each, pausing delay between them so
// each arrives in its own TCP segment.
func (p *peer) sendFrames(delay time.Duration, frames ...[]byte) {
	for i, f := range frames {
		p.wq <- writeOp{b: f}
		if delay > 0 && i < len(frames)-1 {
			p.sleepAfterWrites(delay)
		}
	}
}

// flush waits until everything queued so far has been written.
func (p *peer) flush() {
	ch := make(chan struct{})
	p.wq <- writeOp{sync: ch}
	select {
	case <-ch:
	case <-time.After(30 * time.Second):
		p.fatalf("writing to the target did not finish within 30 s")
	}
}

// sleepAfterWrites lets the queued bytes leave, then pauses, so the next
// bytes arrive in a later TCP segment.
func (p *peer) sleepAfterWrites(d time.Duration) {
	p.flush()
	time.Sleep(d)
}

// sendFrame writes one frame.
func (p *peer) sendFrame(fin bool, rsv, op byte, payload []byte) {
	p.send(p.frame(fin, rsv, op, payload))
}

// message encodes a data message as frames of at most fragSize payload bytes
// (0: one frame), compressed when compress is true and deflate was
// negotiated.
func (p *peer) message(op byte, payload []byte, fragSize int, compress bool) []byte {
	rsv := byte(0)
	data := payload
	if compress && p.defl != nil {
		data = p.defl.out.compress(payload)
		rsv = RSV1
	}
	if fragSize <= 0 || len(data) <= fragSize {
		return p.frame(true, rsv, op, data)
	}
	var out []byte
	first := true
	for len(data) > 0 || first {
		n := min(fragSize, len(data))
		o := byte(OpContinuation)
		r := byte(0)
		if first {
			o, r = op, rsv
		}
		out = append(out, AppendFrame(nil, n == len(data), r, o, !p.targetIsClient, data[:n])...)
		data = data[n:]
		first = false
	}
	return out
}

// sendMessage writes a whole message in one write.
func (p *peer) sendMessage(op byte, payload []byte) { p.send(p.message(op, payload, 0, false)) }

// sendClose writes a close frame with the given raw payload.
func (p *peer) sendClose(payload []byte) {
	p.closeSent = true
	p.sendFrame(true, 0, OpClose, payload)
}

// --- receiving -------------------------------------------------------------

type eventKind int

const (
	evMessage eventKind = iota
	evPing
	evPong
	evClose
	evEOF     // TCP closed by the target
	evTimeout // nothing within the timeout
)

type event struct {
	kind    eventKind
	op      byte // text or binary for evMessage
	payload []byte
	code    int // evClose: the code, CloseNoStatus for an empty payload
	reason  string
}

func (e event) String() string {
	switch e.kind {
	case evMessage:
		return fmt.Sprintf("%s message of %d bytes %s", OpName(e.op), len(e.payload), short(e.payload))
	case evPing:
		return "ping " + short(e.payload)
	case evPong:
		return "pong " + short(e.payload)
	case evClose:
		if e.code == CloseNoStatus {
			return "close frame with empty payload"
		}
		return fmt.Sprintf("close frame code %d reason %q", e.code, e.reason)
	case evEOF:
		return "TCP connection closed"
	case evTimeout:
		return "nothing (timeout)"
	}
	return "?"
}

func short(b []byte) string {
	if len(b) > 40 {
		return fmt.Sprintf("%q...", b[:40])
	}
	return fmt.Sprintf("%q", b)
}

// next reads frames until one event is complete, validating every frame
// against RFC 6455 for the target's role. A frame the target should never
// send fails the case.
func (p *peer) next(timeout time.Duration) event {
	p.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		left := time.Until(deadline)
		if left <= 0 {
			return event{kind: evTimeout}
		}
		f, err := p.rc.ReadFrame(left)
		if err != nil {
			var ne interface{ Timeout() bool }
			switch {
			case errors.As(err, &ne) && ne.Timeout():
				if p.frag != nil {
					p.fatalf("timeout in the middle of a fragmented %s message from the target", OpName(p.frag.op))
				}
				return event{kind: evTimeout}
			case errors.Is(err, io.EOF) || isReset(err):
				return event{kind: evEOF}
			case errors.Is(err, io.ErrUnexpectedEOF):
				p.fatalf("target closed TCP in the middle of a frame: %v", err)
			}
			p.fatalf("reading from the target: %v", err)
		}
		if ev, ok := p.onFrame(f); ok {
			return ev
		}
	}
}

func (p *peer) onFrame(f Frame) (event, bool) {
	p.t.Helper()
	who := "server"
	if p.targetIsClient {
		who = "client"
		if !f.Masked {
			p.fatalf("client sent an unmasked frame %v (RFC 6455 5.1)", f)
		}
	} else if f.Masked {
		p.fatalf("server sent a masked frame %v (RFC 6455 5.1)", f)
	}
	if f.IsControl() {
		if f.Rsv != 0 {
			p.fatalf("%s sent a control frame with RSV bits %d: %v", who, f.Rsv, f)
		}
		if !f.Fin || len(f.Payload) > 125 {
			p.fatalf("%s sent a fragmented or oversized control frame: %v", who, f)
		}
	}
	switch f.Op {
	case OpClose:
		code, reason, err := ParseClose(f.Payload)
		if err != nil {
			p.fatalf("%s sent a malformed close frame: %v", who, err)
		}
		if code != CloseNoStatus && !ValidReceivedCloseCode(code) {
			p.fatalf("%s sent close code %d, which must not be sent", who, code)
		}
		if !validUTF8([]byte(reason)) {
			p.fatalf("%s sent a close reason that is not UTF-8: %q", who, reason)
		}
		return event{kind: evClose, code: code, reason: reason, payload: f.Payload}, true
	case OpPing:
		return event{kind: evPing, payload: f.Payload}, true
	case OpPong:
		return event{kind: evPong, payload: f.Payload}, true
	case OpText, OpBinary:
		if p.frag != nil {
			p.fatalf("%s started a new %s message inside a fragmented one: %v", who, OpName(f.Op), f)
		}
		compressed := false
		switch {
		case f.Rsv == RSV1 && p.defl != nil:
			compressed = true
		case f.Rsv != 0:
			p.fatalf("%s sent RSV bits %d that were not negotiated: %v", who, f.Rsv, f)
		}
		p.frag = &fragState{op: f.Op, compressed: compressed}
		p.frag.buf.Write(f.Payload)
	case OpContinuation:
		if p.frag == nil {
			p.fatalf("%s sent a continuation frame with no message to continue: %v", who, f)
		}
		if f.Rsv != 0 {
			p.fatalf("%s sent a continuation frame with RSV bits %d: %v", who, f.Rsv, f)
		}
		p.frag.buf.Write(f.Payload)
	default:
		p.fatalf("%s sent a frame with reserved opcode: %v", who, f)
	}
	if !f.Fin {
		return event{}, false
	}
	fs := p.frag
	p.frag = nil
	p.lastCompressed = fs.compressed
	payload := fs.buf.Bytes()
	if fs.compressed {
		var err error
		payload, err = p.defl.in.decompress(payload, 64<<20)
		if err != nil {
			p.fatalf("%s sent a compressed message that does not inflate: %v", who, err)
		}
	}
	if fs.op == OpText && !validUTF8(payload) {
		p.fatalf("%s sent a text message that is not valid UTF-8: %s", who, short(payload))
	}
	return event{kind: evMessage, op: fs.op, payload: payload}, true
}

// --- expectations ----------------------------------------------------------

// timeoutFor scales the wait with the size of what must travel.
func (p *peer) timeoutFor(n int) time.Duration {
	return p.timeout + time.Duration(n/(1<<20))*time.Second
}

// expectMessage requires the next event to be the echo of a message.
func (p *peer) expectMessage(op byte, payload []byte) {
	p.t.Helper()
	ev := p.next(p.timeoutFor(len(payload)))
	if ev.kind != evMessage || ev.op != op || !bytes.Equal(ev.payload, payload) {
		p.fatalf("expected echo: %s message of %d bytes %s; got %s%s", OpName(op), len(payload), short(payload), ev, p.firstDiff(ev, payload))
	}
}

func (p *peer) firstDiff(ev event, want []byte) string {
	if ev.kind != evMessage || len(ev.payload) != len(want) {
		return ""
	}
	for i := range want {
		if ev.payload[i] != want[i] {
			return fmt.Sprintf(" (first difference at byte %d)", i)
		}
	}
	return ""
}

// expectPong requires the next event to be a pong with payload.
func (p *peer) expectPong(payload []byte) {
	p.t.Helper()
	ev := p.next(p.timeout)
	if ev.kind != evPong || !bytes.Equal(ev.payload, payload) {
		p.fatalf("expected pong %s; got %s", short(payload), ev)
	}
}

// expectFail requires the target to fail the connection: the next event is a
// close frame with one of codes, after which the closing handshake completes
// and the TCP connection is closed.
func (p *peer) expectFail(codes ...int) {
	p.t.Helper()
	ev := p.next(p.timeout)
	p.checkClose(ev, codes, "expected the target to fail the connection")
}

func (p *peer) checkClose(ev event, codes []int, what string) {
	p.t.Helper()
	want := codeList(codes)
	if ev.kind != evClose {
		p.fatalf("%s with close %s; got %s", what, want, ev)
	}
	ok := false
	for _, c := range codes {
		ok = ok || c == ev.code
	}
	if !ok {
		p.fatalf("%s with close %s; got close code %d reason %q", what, want, ev.code, ev.reason)
	}
	if !p.closeSent {
		// Complete the closing handshake by echoing the code (RFC 6455 5.5.1).
		if ev.code == CloseNoStatus {
			p.sendClose(nil)
		} else {
			p.sendClose(ClosePayload(ev.code, ""))
		}
	}
	p.expectTCPClose()
}

// expectTCPClose checks the end of the connection after the close frames
// were exchanged. A server target must close TCP itself (RFC 6455 7.1.1);
// for a client target the suite, being the server, closes it.
func (p *peer) expectTCPClose() {
	p.t.Helper()
	p.closed = true
	if p.targetIsClient {
		// The client may still send nothing but TCP close; give it a short
		// look for stray frames before we close.
		ev := p.next(50 * time.Millisecond)
		if ev.kind != evTimeout && ev.kind != evEOF {
			p.fatalf("client sent %s after the closing handshake", ev)
		}
		return
	}
	p.flush()
	if err := p.rc.WaitClosed(p.timeout); err != nil {
		p.fatalf("server did not close the TCP connection after the closing handshake: %v", err)
	}
}

// closeNormally runs the closing handshake from our side with 1000 and
// requires the echo 1000 and nothing else before it.
func (p *peer) closeNormally() {
	p.t.Helper()
	p.sendClose(ClosePayload(CloseNormal, ""))
	ev := p.next(p.timeout)
	p.checkClose(ev, []int{CloseNormal}, "after sending close 1000, expected the closing handshake")
}

// expectCloseReply requires the reply to a close we sent.
func (p *peer) expectCloseReply(codes ...int) {
	p.t.Helper()
	ev := p.next(p.timeout)
	p.checkClose(ev, codes, "expected the closing handshake reply")
}

func codeList(codes []int) string {
	var s []string
	for _, c := range codes {
		if c == CloseNoStatus {
			s = append(s, "(empty payload)")
		} else {
			s = append(s, fmt.Sprint(c))
		}
	}
	return strings.Join(s, " or ")
}

// deviation logs a declared deviation taking effect inside a case.
func (p *peer) deviation(format string, args ...any) {
	p.t.Logf("deviation: "+format, args...)
}
