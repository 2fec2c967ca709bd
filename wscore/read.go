package wscore

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
)

// Where the payload of the frame being read goes.
const (
	destBuf     = iota // in place in the read buffer (small frames)
	destPayload        // a pooled buffer of its own (large frames)
	destMsg            // appended to the message being reassembled
)

// readState is the reader's state. It survives a read timeout, so that the
// next read call continues exactly where the previous one stopped.
type readState struct {
	buf  []byte // read buffer; buf[r:w] is unconsumed
	r, w int

	// The frame being read.
	inFrame bool
	hdr     header
	dest    int
	payload *pbuf // destPayload buffer
	got     int64 // payload bytes received so far
	mpos    int   // mask key offset of the next payload byte
	check   bool  // validate this frame's payload as UTF-8 while it arrives

	// The message being read.
	msgMode    bool // ReadMessage is reassembling this message
	inMsg      bool
	msgOp      Opcode
	compressed bool
	msgLen     int64
	msg        *pbuf // reassembled (or still compressed) message
	utf8       utf8State

	// Buffers handed to the caller by the previous read, recycled on the next.
	retPayload, retMsg *pbuf

	err error // sticky: the connection can no longer be read
}

// ReadFrame reads the next frame. Control frames are returned as they
// arrive, also between the fragments of a message; a ping is answered first
// when Options.AutoPong is set, and a close frame is echoed unless
// Options.ManualCloseReply is set. Frame.Payload is valid until the next read
// call (see Frame).
//
// Every frame is validated: a violation fails the connection (the close
// code is sent to the peer) and is returned as a *ProtocolError. Text is
// UTF-8 validated incrementally, so an invalid sequence is reported at the
// first frame that contains it. A compressed message is returned as one
// final frame holding the inflated message (its size bounded by
// MaxFramePayload); the compressed fragments are not returned.
//
// After the peer's close frame has been returned, reads return *CloseError.
// A read deadline that expires returns a timeout error and keeps all state.
func (c *Conn) ReadFrame() (Frame, error) {
	c.rmu.Lock()
	defer c.rmu.Unlock()
	rd := &c.rd
	if rd.err != nil {
		return Frame{}, rd.err
	}
	if !rd.inMsg {
		rd.msgMode = false
	} else if rd.msgMode {
		return Frame{}, fmt.Errorf("wscore: ReadFrame in the middle of a message started by ReadMessage: %w", ErrBadSequence)
	}
	c.recycle()
	for {
		f, done, err := c.nextFrame()
		if err != nil || done {
			return f, err
		}
	}
}

// ReadMessage reads the next message: data fragments are reassembled (up to
// Options.MaxMessageSize, checked before buffering) and inflated when
// compressed; ping, pong and close frames are returned as messages of their
// own type as they arrive, including between the fragments of a data
// message. The data is valid until the next read call. For OpClose the data
// is the raw close payload (see ParseClosePayload); the connection then
// returns *CloseError on further reads.
func (c *Conn) ReadMessage() (Opcode, []byte, error) {
	c.rmu.Lock()
	defer c.rmu.Unlock()
	rd := &c.rd
	if rd.err != nil {
		return 0, nil, rd.err
	}
	if !rd.inMsg {
		rd.msgMode = true
	} else if !rd.msgMode {
		return 0, nil, fmt.Errorf("wscore: ReadMessage in the middle of a message started by ReadFrame: %w", ErrBadSequence)
	}
	c.recycle()
	for {
		f, done, err := c.nextFrame()
		if err != nil {
			return 0, nil, err
		}
		if done {
			return f.Opcode, f.Payload, nil
		}
	}
}

// recycle returns the buffers handed out by the previous read.
func (c *Conn) recycle() {
	rd := &c.rd
	if rd.retPayload != nil {
		putBuf(rd.retPayload)
		rd.retPayload = nil
	}
	if rd.retMsg != nil {
		putBuf(rd.retMsg)
		rd.retMsg = nil
	}
}

// nextFrame reads one frame. done is false for frames the caller does not
// see (fragments being reassembled or inflated).
func (c *Conn) nextFrame() (f Frame, done bool, err error) {
	rd := &c.rd
	if !rd.inFrame {
		if err := c.readHeader(); err != nil {
			return f, false, err
		}
	}
	p, err := c.readPayload()
	if err != nil {
		return f, false, err
	}
	rd.inFrame = false
	h := &rd.hdr
	if h.op.IsControl() {
		return c.control(h.op, p)
	}
	fin := h.fin
	if rd.dest == destMsg {
		rd.msgLen += h.length
		if !fin {
			return f, false, nil
		}
		rd.inMsg = false
		out := rd.msg.b[:rd.msgLen]
		ret := rd.msg
		rd.msg = nil
		if rd.compressed {
			limit := c.opts.MaxMessageSize
			if !rd.msgMode {
				limit = c.opts.MaxFramePayload
			}
			inflated, err := c.defl.inflate(out, limit)
			putBuf(ret)
			if err != nil {
				return f, false, c.rfail(err)
			}
			ret = inflated
			out = inflated.b
			if rd.msgOp == OpText && !c.opts.SkipUTF8Validation && !validUTF8(out) {
				putBuf(ret)
				return f, false, c.rfail(protoErr(StatusInvalidPayload, "invalid UTF-8 in a text message", ErrInvalidUTF8))
			}
		} else if rd.msgOp == OpText && !c.opts.SkipUTF8Validation && !rd.utf8.done() {
			putBuf(ret)
			return f, false, c.rfail(protoErr(StatusInvalidPayload, "text message ends inside a UTF-8 sequence", ErrInvalidUTF8))
		}
		rd.retMsg = ret
		return Frame{Fin: true, Opcode: rd.msgOp, Payload: out}, true, nil
	}
	if rd.dest == destPayload {
		rd.retPayload = rd.payload
		rd.payload = nil
	}
	if fin {
		rd.inMsg = false
		if rd.check && !rd.utf8.done() {
			return f, false, c.rfail(protoErr(StatusInvalidPayload, "text message ends inside a UTF-8 sequence", ErrInvalidUTF8))
		}
	}
	return Frame{Fin: fin, Opcode: h.op, Payload: p}, true, nil
}

func validUTF8(b []byte) bool {
	var s utf8State
	return s.feed(b) && s.done()
}

// readHeader reads and validates the next frame header and prepares the
// payload destination. Nothing is allocated before the limits are checked.
func (c *Conn) readHeader() error {
	rd := &c.rd
	var h header
	for {
		var n int
		var ok bool
		h, n, ok = parseHeader(rd.buf[rd.r:rd.w])
		if !ok {
			return c.rfail(protoErr(StatusProtocolError, "64-bit payload length with the most significant bit set", ErrProtocol))
		}
		if n > 0 {
			rd.r += n
			break
		}
		// Reject what the first two bytes already condemn without waiting
		// for the rest of the header.
		if rd.w-rd.r >= 1 {
			if err := c.checkFirstByte(rd.buf[rd.r]); err != nil {
				return err
			}
		}
		if err := c.fill(); err != nil {
			return err
		}
	}
	if err := c.checkFirstByte(byte(h.op) | h.rsv | boolBit(h.fin)); err != nil {
		return err
	}
	if h.masked == c.client {
		if c.client {
			return c.rfail(protoErr(StatusProtocolError, "masked frame from the server", ErrProtocol))
		}
		return c.rfail(protoErr(StatusProtocolError, "unmasked frame from the client", ErrProtocol))
	}
	if h.op.IsControl() {
		if h.length > 125 {
			return c.rfail(protoErr(StatusProtocolError, "control frame payload over 125 bytes", ErrProtocol))
		}
	} else if h.length > c.opts.MaxFramePayload {
		return c.rfail(protoErr(StatusMessageTooBig, fmt.Sprintf("frame payload of %d bytes exceeds the limit of %d", h.length, c.opts.MaxFramePayload), ErrFrameTooLarge))
	}
	rd.hdr = h
	rd.got = 0
	rd.mpos = 0
	rd.check = false
	rd.inFrame = true

	if h.op.IsControl() {
		rd.dest = destBuf // at most 125 bytes, always fits
		return nil
	}
	if h.op != OpContinuation { // first frame of a message
		rd.inMsg = true
		rd.msgOp = h.op
		rd.compressed = h.rsv != 0
		rd.msgLen = 0
		rd.utf8.reset()
	}
	rd.check = rd.msgOp == OpText && !rd.compressed && !c.opts.SkipUTF8Validation
	if rd.compressed || (rd.msgMode && !(h.op != OpContinuation && h.fin)) {
		// Reassemble (or gather compressed bytes) straight into the message
		// buffer: no second copy.
		if rd.msgLen+h.length > c.opts.MaxMessageSize {
			return c.rfail(protoErr(StatusMessageTooBig, fmt.Sprintf("message of more than %d bytes exceeds the limit of %d", rd.msgLen+h.length, c.opts.MaxMessageSize), ErrMessageTooLarge))
		}
		need := int(rd.msgLen + h.length)
		if rd.msg == nil || need > cap(rd.msg.b) {
			// Grow geometrically so many small fragments stay linear.
			sz := need
			if rd.msg != nil && sz < 2*cap(rd.msg.b) {
				sz = 2 * cap(rd.msg.b)
			}
			rd.msg = growBuf(rd.msg, int(rd.msgLen), sz)
		}
		rd.msg.b = rd.msg.b[:cap(rd.msg.b)]
		rd.dest = destMsg
		return nil
	}
	if int64(len(rd.buf)) >= h.length+int64(maxHeaderSize) {
		rd.dest = destBuf
		return nil
	}
	rd.dest = destPayload
	rd.payload = getBuf(int(h.length))
	return nil
}

func boolBit(b bool) byte {
	if b {
		return 0x80
	}
	return 0
}

// checkFirstByte validates the opcode, RSV bits and fragmentation state.
func (c *Conn) checkFirstByte(b0 byte) error {
	rd := &c.rd
	op := Opcode(b0 & 0x0f)
	rsv := b0 & 0x70
	fin := b0&0x80 != 0
	if !op.valid() {
		return c.rfail(protoErr(StatusProtocolError, "reserved opcode "+itoa(int(op)), ErrProtocol))
	}
	if rsv != 0 {
		// Only RSV1, only on the first frame of a data message, and only
		// with permessage-deflate negotiated.
		if rsv != 0x40 || c.defl == nil || !op.IsData() {
			return c.rfail(protoErr(StatusProtocolError, "reserved bits set without a negotiated extension", ErrProtocol))
		}
	}
	switch {
	case op.IsControl():
		if !fin {
			return c.rfail(protoErr(StatusProtocolError, "fragmented control frame", ErrProtocol))
		}
	case op == OpContinuation:
		if !rd.inMsg {
			return c.rfail(protoErr(StatusProtocolError, "continuation frame without a started message", ErrProtocol))
		}
	default:
		if rd.inMsg {
			return c.rfail(protoErr(StatusProtocolError, "new data frame inside a fragmented message", ErrProtocol))
		}
	}
	return nil
}

// readPayload reads the rest of the current frame's payload, unmasking and
// UTF-8 checking each chunk as it arrives.
func (c *Conn) readPayload() ([]byte, error) {
	rd := &c.rd
	n := rd.hdr.length
	if rd.dest == destBuf {
		for {
			avail := int64(rd.w - rd.r)
			if avail > n {
				avail = n
			}
			if avail > rd.got {
				if err := c.process(rd.buf[rd.r+int(rd.got) : rd.r+int(avail)]); err != nil {
					return nil, err
				}
				rd.got = avail
			}
			if rd.got == n {
				break
			}
			if err := c.fill(); err != nil {
				return nil, err
			}
		}
		p := rd.buf[rd.r : rd.r+int(n)]
		rd.r += int(n)
		return p, nil
	}
	var dst []byte
	if rd.dest == destPayload {
		dst = rd.payload.b[:n]
	} else {
		dst = rd.msg.b[rd.msgLen : rd.msgLen+n]
	}
	for rd.got < n {
		var k int
		var err error
		if rd.r < rd.w {
			k = copy(dst[rd.got:], rd.buf[rd.r:rd.w])
			rd.r += k
		} else {
			k, err = c.nc.Read(dst[rd.got:])
		}
		if k > 0 {
			if perr := c.process(dst[rd.got : rd.got+int64(k)]); perr != nil {
				return nil, perr
			}
			rd.got += int64(k)
		}
		if err != nil && rd.got < n {
			return nil, c.readErr(err)
		}
	}
	return dst, nil
}

// process unmasks newly received payload bytes in place and validates text.
func (c *Conn) process(b []byte) error {
	rd := &c.rd
	if rd.hdr.masked {
		rd.mpos = maskBytes(rd.hdr.key, rd.mpos, b)
	}
	if rd.check && !rd.utf8.feed(b) {
		return c.rfail(protoErr(StatusInvalidPayload, "invalid UTF-8 in a text message", ErrInvalidUTF8))
	}
	return nil
}

// fill reads more bytes into the read buffer.
func (c *Conn) fill() error {
	rd := &c.rd
	if rd.r == rd.w {
		rd.r, rd.w = 0, 0
	} else if rd.w == len(rd.buf) && rd.r > 0 {
		rd.w = copy(rd.buf, rd.buf[rd.r:rd.w])
		rd.r = 0
	}
	if rd.w == len(rd.buf) {
		// Cannot happen: frames that do not fit never use destBuf.
		return c.rfail(protoErr(StatusInternalError, "read buffer overflow", ErrProtocol))
	}
	n, err := c.nc.Read(rd.buf[rd.w:])
	rd.w += n
	if n > 0 {
		return nil
	}
	if err == nil {
		err = io.ErrNoProgress
	}
	return c.readErr(err)
}

// readErr classifies a network read error. Timeouts keep all state; any
// other error ends reading for good.
func (c *Conn) readErr(err error) error {
	if isTimeout(err) {
		return fmt.Errorf("wscore: read: %w", err)
	}
	rd := &c.rd
	if b := c.failErr.Load(); b != nil {
		rd.err = b.err
		return rd.err
	}
	select {
	case <-c.closedCh:
		rd.err = fmt.Errorf("wscore: read: %w (%w)", ErrClosed, net.ErrClosed)
		return rd.err
	default:
	}
	if errors.Is(err, io.EOF) {
		rd.err = fmt.Errorf("%w: %w", &CloseError{Code: StatusAbnormalClosure, Reason: "connection closed without a close frame"}, io.ErrUnexpectedEOF)
	} else {
		rd.err = fmt.Errorf("%w: %w", &CloseError{Code: StatusAbnormalClosure, Reason: err.Error()}, err)
	}
	return rd.err
}

func isTimeout(err error) bool {
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// control handles a complete control frame.
func (c *Conn) control(op Opcode, p []byte) (Frame, bool, error) {
	switch op {
	case OpPing:
		if c.opts.AutoPong {
			// Best effort: a failed pong surfaces on the next write or read.
			_ = c.writeControl(OpPong, p, timeZero)
		}
	case OpPong:
		c.lastPong.Store(nowNano())
	case OpClose:
		code, reason, err := ParseClosePayload(p)
		if err != nil {
			return Frame{}, false, c.rfail(err.(*ProtocolError))
		}
		c.closeMu.Lock()
		first := !c.closeRcvd
		c.closeRcvd = true
		c.peerCode, c.peerReason = code, reason
		c.closeMu.Unlock()
		if first {
			close(c.rcvdCh)
		}
		c.rd.err = &CloseError{Code: code, Reason: reason}
		if !c.opts.ManualCloseReply {
			echo := p
			if len(p) > 2 {
				echo = p[:2] // echo the code; the reason is optional
			}
			_ = c.sendClose(echo, timeZero)
		}
	}
	return Frame{Fin: true, Opcode: op, Payload: p}, true, nil
}

// rfail fails the connection from the read path and makes the error sticky
// for later reads.
func (c *Conn) rfail(pe *ProtocolError) error {
	err := c.fail(pe, true)
	c.rd.err = err
	return err
}
