package wscore

import (
	"fmt"
	"net"
	"time"
)

// writeState is the writer's state, guarded by Conn.wmu.
type writeState struct {
	// small stages header and payload of small frames, so they take one
	// write without touching the buffer pool; larger frames stage in a
	// pooled buffer held only during the write.
	small [smallWriteSize]byte
	rng   maskRand
	inMsg bool  // a fragmented data message is being sent
	err   error // sticky: the stream is corrupt (a frame was cut short)
	// gather is made by the first large server frame: a connection that
	// only ever sends small frames (or none, idle) does not carry it.
	gather *gatherWrite
}

// gatherWrite holds the header and payload of a large frame for one writev;
// kept per connection so that each such write allocates nothing.
type gatherWrite struct {
	bufs [2][]byte
	vec  net.Buffers
}

var timeZero time.Time

func nowNano() int64 { return time.Now().UnixNano() }

// WriteFrame writes one frame and returns the number of bytes put on the
// wire (header and payload). It is safe to call concurrently with other
// writes; each frame goes out whole. The payload is not modified and may be
// reused as soon as WriteFrame returns.
//
// The caller drives fragmentation: a data message is a text or binary frame
// followed by continuation frames, the last one with fin set; a
// fragmentation sequence that would be invalid is refused with
// ErrBadSequence. Control frames must have fin set and at most 125 bytes
// (ErrControlTooLarge) and may be sent between fragments. A data payload over
// Options.MaxFramePayload is refused with ErrFrameTooLarge. A close frame
// payload must be empty or a valid code and UTF-8 reason; after it, data
// frames are refused with ErrCloseSent. WriteFrame never compresses.
func (c *Conn) WriteFrame(fin bool, op Opcode, payload []byte) (int, error) {
	if !op.valid() {
		return 0, fmt.Errorf("wscore: write opcode %d: %w", op, ErrBadOpcode)
	}
	if op.IsControl() {
		if !fin || len(payload) > 125 {
			return 0, fmt.Errorf("wscore: write %s frame: %w", op, ErrControlTooLarge)
		}
		if op == OpClose {
			if _, _, err := ParseClosePayload(payload); err != nil {
				return 0, fmt.Errorf("wscore: write close frame: %w", err)
			}
			return c.sendCloseN(payload, timeZero)
		}
		c.wmu.Lock()
		defer c.wmu.Unlock()
		return c.writeFrameLocked(true, 0, op, payload)
	}
	if int64(len(payload)) > c.opts.MaxFramePayload {
		return 0, fmt.Errorf("wscore: write %s frame of %d bytes (limit %d): %w", op, len(payload), c.opts.MaxFramePayload, ErrFrameTooLarge)
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.checkDataWrite(); err != nil {
		return 0, err
	}
	if (op == OpContinuation) != c.wr.inMsg {
		if op == OpContinuation {
			return 0, fmt.Errorf("wscore: write continuation frame without a started message: %w", ErrBadSequence)
		}
		return 0, fmt.Errorf("wscore: write %s frame inside a fragmented message: %w", op, ErrBadSequence)
	}
	n, err := c.writeFrameLocked(fin, 0, op, payload)
	if err == nil {
		c.wr.inMsg = !fin
	}
	return n, err
}

// DataWriteErr returns the error a data frame written now would be refused
// with because the connection failed or the close frame went out, or nil.
// It takes no lock, so it does not wait for a write in progress; a
// write-behind queue uses it to refuse at once what WriteFrame would.
func (c *Conn) DataWriteErr() error { return c.checkDataWrite() }

// checkDataWrite refuses data once the close frame went out or the
// connection failed. It reads atomics only.
func (c *Conn) checkDataWrite() error {
	if b := c.failErr.Load(); b != nil {
		return b.err
	}
	if c.closeSentFlag.Load() {
		return ErrCloseSent
	}
	return nil
}

// WriteMessage writes a whole message. Text and binary messages are
// compressed when permessage-deflate is in effect and the message is at
// least the compression threshold, then split into frames of at most
// Options.FragmentSize (and MaxFramePayload) bytes; control frames sent by
// other goroutines may go out between those frames. OpPing, OpPong and
// OpClose send a single control frame. Concurrent WriteMessage calls do not
// interleave their fragments.
func (c *Conn) WriteMessage(op Opcode, data []byte) error {
	_, err := c.WriteMessageN(op, data)
	return err
}

// WriteMessageN is WriteMessage that also returns the number of bytes put
// on the wire (headers and payloads of all its frames, compressed when
// permessage-deflate compressed the message), as eco's senders report.
func (c *Conn) WriteMessageN(op Opcode, data []byte) (int, error) {
	if op.IsControl() || !op.valid() || op == OpContinuation {
		if op == OpContinuation {
			return 0, fmt.Errorf("wscore: WriteMessage with a continuation opcode: %w", ErrBadOpcode)
		}
		return c.WriteFrame(true, op, data)
	}
	if int64(len(data)) <= c.fragLimit() && (c.defl == nil || !c.defl.shouldCompress(len(data))) {
		// Fast path: one uncompressed frame needs only the frame lock,
		// unless a fragmented message is being written right now.
		c.wmu.Lock()
		if !c.wr.inMsg {
			var n int
			err := c.checkDataWrite()
			if err == nil {
				n, err = c.writeFrameLocked(true, 0, op, data)
			}
			c.wmu.Unlock()
			return n, err
		}
		c.wmu.Unlock()
	}
	c.msgMu.Lock()
	defer c.msgMu.Unlock()
	var rsv byte
	payload := data
	if c.defl != nil && c.defl.shouldCompress(len(data)) {
		var err error
		if payload, err = c.defl.compress(data); err != nil {
			return 0, fmt.Errorf("wscore: compress message: %w", err)
		}
		rsv = 0x40
	}
	frag := c.fragLimit()
	first := true
	total := 0
	for {
		chunk := payload
		if int64(len(chunk)) > frag {
			chunk = chunk[:frag]
		}
		payload = payload[len(chunk):]
		fin := len(payload) == 0
		fop := OpContinuation
		var frsv byte
		if first {
			fop, frsv = op, rsv
		}
		c.wmu.Lock()
		err := c.checkDataWrite()
		if err == nil && c.wr.inMsg && first {
			err = fmt.Errorf("wscore: WriteMessage while a frame-level message is unfinished: %w", ErrBadSequence)
		}
		var n int
		if err == nil {
			n, err = c.writeFrameLocked(fin, frsv, fop, chunk)
		}
		total += n
		if err == nil {
			c.wr.inMsg = !fin
		}
		c.wmu.Unlock()
		if err != nil {
			return total, err
		}
		if fin {
			return total, nil
		}
		first = false
	}
}

// Ping sends a ping frame (payload at most 125 bytes).
func (c *Conn) Ping(payload []byte) error {
	_, err := c.WriteFrame(true, OpPing, payload)
	return err
}

// Pong sends a pong frame (payload at most 125 bytes).
func (c *Conn) Pong(payload []byte) error {
	_, err := c.WriteFrame(true, OpPong, payload)
	return err
}

// writeControl sends a control frame with an optional write deadline.
func (c *Conn) writeControl(op Opcode, payload []byte, deadline time.Time) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if !deadline.IsZero() {
		_ = c.nc.SetWriteDeadline(deadline)
		defer c.nc.SetWriteDeadline(timeZero)
	}
	_, err := c.writeFrameLocked(true, 0, op, payload)
	return err
}

// writeFrameLocked encodes and writes one frame; c.wmu is held.
func (c *Conn) writeFrameLocked(fin bool, rsv byte, op Opcode, payload []byte) (int, error) {
	w := &c.wr
	if w.err != nil {
		return 0, w.err
	}
	var key uint32
	if c.client {
		key = w.rng.next()
	}
	hn := headerSize(len(payload), c.client)
	total := hn + len(payload)
	var written int
	var err error
	switch {
	case total <= len(w.small) || total <= c.opts.WriteBufferSize:
		// One write from a staging buffer: the inline one for small
		// frames, a pooled one otherwise.
		buf := w.small[:]
		var pb *pbuf
		if total > len(buf) {
			pb = getBuf(c.opts.WriteBufferSize)
			buf = pb.b
		}
		putHeader(buf, fin, rsv, op, len(payload), c.client, key)
		if c.client {
			maskCopy(buf[hn:total], payload, key, 0)
		} else {
			copy(buf[hn:total], payload)
		}
		written, err = c.nc.Write(buf[:total])
		putBuf(pb)
	case !c.client:
		// Large server frame: header and payload in one writev, no copy.
		putHeader(w.small[:], fin, rsv, op, len(payload), false, 0)
		if w.gather == nil {
			w.gather = new(gatherWrite)
		}
		g := w.gather
		g.bufs[0], g.bufs[1] = w.small[:hn], payload
		g.vec = g.bufs[:]
		var n64 int64
		n64, err = g.vec.WriteTo(c.nc)
		written = int(n64)
		g.bufs[0], g.bufs[1] = nil, nil
	default:
		// Large client frame: mask into a pooled buffer chunk by chunk.
		pb := getBuf(c.opts.WriteBufferSize)
		buf := pb.b
		putHeader(buf, fin, rsv, op, len(payload), true, key)
		pos, off := 0, hn
		for len(payload) > 0 && err == nil {
			k := min(len(buf)-off, len(payload))
			pos = maskCopy(buf[off:off+k], payload[:k], key, pos)
			payload = payload[k:]
			var n int
			n, err = c.nc.Write(buf[:off+k])
			written += n
			off = 0
		}
		putBuf(pb)
	}
	if err != nil {
		return written, c.writeErr(err, written, total)
	}
	return written, nil
}

// writeErr classifies a write error: nothing written and a timeout is
// retryable; a frame cut short corrupts the stream, so the connection is
// dropped.
func (c *Conn) writeErr(err error, written, total int) error {
	if c.closed.Load() {
		return fmt.Errorf("wscore: write: %w (%w)", ErrClosed, net.ErrClosed)
	}
	if written == 0 && isTimeout(err) {
		return fmt.Errorf("wscore: write: %w", err)
	}
	c.wr.err = fmt.Errorf("wscore: write failed after %d of %d frame bytes: %w", written, total, err)
	c.closeTCP()
	return c.wr.err
}

// fragLimit is the largest payload WriteMessage puts in one frame.
func (c *Conn) fragLimit() int64 {
	frag := int64(c.opts.FragmentSize)
	if frag <= 0 || frag > c.opts.MaxFramePayload {
		frag = c.opts.MaxFramePayload
	}
	return frag
}
