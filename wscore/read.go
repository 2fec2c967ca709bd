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
	buf  []byte // the pooled read buffer (pb.b) while held, else nil; buf[r:w] is unconsumed
	pb   *pbuf
	r, w int
	// small receives the first bytes after the buffer ran empty on
	// connections without a raw socket (TLS, pipes), so that no pooled
	// buffer is held while the read waits. It is made on the first such
	// read: a raw socket never needs it, and an idle connection of that
	// kind should not carry it.
	small *[smallReadSize]byte
	// The raw read callback's results (rawread_unix.go).
	rawN   int
	rawErr error

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
		if !rd.inFrame && rd.r == rd.w {
			// Wait for the next frame here, at a shallow stack depth:
			// an idle connection's goroutine stack stays small.
			if err := c.fillIdle(); err != nil {
				return Frame{}, err
			}
		}
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
		if !rd.inFrame && rd.r == rd.w {
			if err := c.fillIdle(); err != nil { // see ReadFrame
				return 0, nil, err
			}
		}
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
			return c.rfail(violation(ViolationLength64, StatusProtocolError, "64-bit payload length with the most significant bit set"))
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
			return c.rfail(violation(ViolationMaskedFromServer, StatusProtocolError, "masked frame from the server"))
		}
		return c.rfail(violation(ViolationUnmaskedFromClient, StatusProtocolError, "unmasked frame from the client"))
	}
	if h.op.IsControl() {
		if h.length > 125 {
			return c.rfail(violation(ViolationControlTooLong, StatusProtocolError, "control frame payload over 125 bytes"))
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
		// The announced length only passed the limit check: the buffer
		// starts at one chunk and grows as the bytes arrive (payloadRoom).
		if rd.msg == nil {
			rd.msg = getBuf(int(min(h.length, c.firstChunk())))
			rd.msg.b = rd.msg.b[:cap(rd.msg.b)]
		}
		rd.dest = destMsg
		return nil
	}
	if int64(c.opts.ReadBufferSize) >= h.length+int64(maxHeaderSize) {
		rd.dest = destBuf
		return nil
	}
	rd.dest = destPayload
	rd.payload = getBuf(int(min(h.length, c.firstChunk())))
	rd.payload.b = rd.payload.b[:cap(rd.payload.b)]
	return nil
}

// payloadChunk bounds the buffer taken for a large frame or a message
// before its bytes arrive. A header can announce up to the limit with a
// single byte behind it; sizing the buffer from the announcement would let
// a peer make the heap (and the GC's pacing, and the address space) grow by
// the limit per connection for 14 bytes sent.
const payloadChunk = 64 << 10

// firstChunk is the most a frame's payload buffer takes before its bytes
// arrive: a chunk, or the read buffer size when that is larger (frames
// smaller than the read buffer are parsed in place anyway).
func (c *Conn) firstChunk() int64 {
	return int64(max(payloadChunk, c.opts.ReadBufferSize))
}

// payloadRoom returns where the next payload bytes of a destPayload or
// destMsg frame go: the free part of its buffer, which is grown first when
// full. The buffer grows fourfold (at least by a chunk) and never past the
// frame's end: it holds at most four times the bytes received plus a chunk,
// and a frame that arrives whole costs at most a third more copying (1 MiB:
// 64 KiB, 256 KiB, then 1 MiB) where doubling would cost as much again.
func (c *Conn) payloadRoom() []byte {
	rd := &c.rd
	bp, base := &rd.payload, int64(0)
	if rd.dest == destMsg {
		bp, base = &rd.msg, rd.msgLen
	}
	off, end := base+rd.got, base+rd.hdr.length
	b := *bp
	if int64(cap(b.b)) <= off {
		sz := min(end, max(4*int64(cap(b.b)), off+c.firstChunk()))
		b = growBuf(b, int(off), int(sz))
		b.b = b.b[:cap(b.b)]
		*bp = b
	}
	return b.b[off:min(end, int64(len(b.b)))]
}

func boolBit(b bool) byte {
	if b {
		return 0x80
	}
	return 0
}

// checkFirstByte validates the opcode, RSV bits and fragmentation state,
// failing the connection on a violation.
func (c *Conn) checkFirstByte(b0 byte) error {
	if pe := c.firstByteProblem(b0, c.rd.inMsg); pe != nil {
		return c.rfail(pe)
	}
	return nil
}

// firstByteProblem returns the violation in a frame's first byte, given
// whether a fragmented message is in progress, or nil.
func (c *Conn) firstByteProblem(b0 byte, inMsg bool) *ProtocolError {
	op := Opcode(b0 & 0x0f)
	rsv := b0 & 0x70
	fin := b0&0x80 != 0
	if !op.valid() {
		kind := ViolationReservedDataOpcode
		if op.IsControl() {
			kind = ViolationReservedControlOpcode
		}
		return violation(kind, StatusProtocolError, "reserved opcode "+itoa(int(op)))
	}
	if rsv != 0 {
		// Only RSV1, only on the first frame of a data message, and only
		// with permessage-deflate negotiated.
		if rsv != 0x40 || c.defl == nil || !op.IsData() {
			return violation(ViolationReservedBits, StatusProtocolError, "reserved bits set without a negotiated extension")
		}
	}
	switch {
	case op.IsControl():
		if !fin {
			return violation(ViolationFragmentedControl, StatusProtocolError, "fragmented control frame")
		}
	case op == OpContinuation:
		if !inMsg {
			return violation(ViolationContinuationWithoutStart, StatusProtocolError, "continuation frame without a started message")
		}
	default:
		if inMsg {
			return violation(ViolationDataInsideFragmented, StatusProtocolError, "new data frame inside a fragmented message")
		}
	}
	return nil
}

// FrameBuffered reports whether the next ReadFrame is certain to return
// without waiting for the network and without writing to it: the whole
// frame (for a compressed message, every fragment of it) is already in the
// read buffer and valid as far as its headers tell, and it is not a ping
// that Options.AutoPong would answer or a close frame that would be echoed.
// It is also true when ReadFrame would return an error at once (a
// connection that already failed or was closed by the peer).
//
// It lets a caller that must give up a lock or token around blocking calls
// (the Lua bindings release the VM) keep it for frames that are already
// here. Call it from the reading goroutine, between reads; it never
// blocks. It is false while another goroutine is writing a frame. A payload
// that turns out to be invalid UTF-8 (or a compressed message that does not
// inflate) still fails the connection in ReadFrame, which then writes a
// 2-byte close frame.
func (c *Conn) FrameBuffered() bool { return c.buffered(false) }

// MessageBuffered is FrameBuffered for ReadMessage: every fragment of the
// next message (or the next control frame) is in the read buffer.
func (c *Conn) MessageBuffered() bool { return c.buffered(true) }

func (c *Conn) buffered(message bool) bool {
	if !c.rmu.TryLock() {
		return false
	}
	defer c.rmu.Unlock()
	// A frame being written right now could make the close frame of a
	// protocol error wait for it; such a read goes the slow way.
	if !c.wmu.TryLock() {
		return false
	}
	c.wmu.Unlock()
	rd := &c.rd
	if rd.err != nil {
		return true
	}
	if rd.inMsg && rd.msgMode != message {
		return true // ErrBadSequence at once
	}
	p, end := rd.r, rd.w
	inMsg, compressed := rd.inMsg, rd.compressed
	msgLen := rd.msgLen
	if rd.inFrame {
		// Resume the frame cut short by a timeout: its remaining payload
		// must be buffered too. A destBuf payload starts at rd.r.
		need := rd.hdr.length - rd.got
		if rd.dest == destBuf {
			need = rd.hdr.length
		}
		if int64(end-p) < need {
			return false
		}
		p += int(need)
		if done, ok := c.bufferedDone(&rd.hdr, message, &inMsg, &compressed, &msgLen); done {
			return ok
		}
	}
	for {
		h, n, ok := parseHeader(rd.buf[p:end])
		if !ok || n == 0 {
			return false
		}
		if c.firstByteProblem(byte(h.op)|h.rsv|boolBit(h.fin), inMsg) != nil || h.masked == c.client {
			return false
		}
		if h.op.IsControl() && h.length > 125 || !h.op.IsControl() && h.length > c.opts.MaxFramePayload {
			return false
		}
		if int64(end-p-n) < h.length {
			return false
		}
		p += n + int(h.length)
		if done, ok := c.bufferedDone(&h, message, &inMsg, &compressed, &msgLen); done {
			return ok
		}
	}
}

// bufferedDone applies one complete buffered frame to the scan of
// buffered: done says whether the read would return after it, ok whether
// it would return without any I/O.
func (c *Conn) bufferedDone(h *header, message bool, inMsg, compressed *bool, msgLen *int64) (done, ok bool) {
	switch h.op {
	case OpPing:
		return true, !c.opts.AutoPong
	case OpClose:
		return true, c.opts.ManualCloseReply || c.CloseSent()
	case OpPong:
		return true, true
	}
	if h.op != OpContinuation {
		*inMsg, *compressed, *msgLen = true, h.rsv != 0, 0
	}
	*msgLen += h.length
	if (message || *compressed) && *msgLen > c.opts.MaxMessageSize {
		return true, false // fails with 1009
	}
	if h.fin {
		*inMsg = false
		return true, true
	}
	// A fragment: ReadFrame returns it unless the message is compressed.
	return !message && !*compressed, true
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
	for rd.got < n {
		room := c.payloadRoom()
		var k int
		var err error
		if rd.r < rd.w {
			k = copy(room, rd.buf[rd.r:rd.w])
			rd.r += k
		} else {
			// A large payload is read straight into its own buffer: the
			// empty read buffer is not needed while this read waits.
			c.releaseReadBuf()
			k, err = c.nc.Read(room)
		}
		if k > 0 {
			if perr := c.process(room[:k]); perr != nil {
				return nil, perr
			}
			rd.got += int64(k)
		}
		if err != nil && rd.got < n {
			return nil, c.readErr(err)
		}
	}
	if rd.dest == destPayload {
		return rd.payload.b[:n], nil
	}
	return rd.msg.b[rd.msgLen : rd.msgLen+n], nil
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
		return c.fillEmpty()
	}
	if rd.w == len(rd.buf) && rd.r > 0 {
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

// fillIdle waits for bytes when nothing is buffered between frames.
func (c *Conn) fillIdle() error {
	c.rd.r, c.rd.w = 0, 0
	return c.fillEmpty()
}

// fillEmpty reads when nothing is buffered, which is where an idle
// connection waits. No pooled buffer is held during that wait: a raw socket
// takes one only once it is readable (rawread_unix.go); any other connection
// reads into the small array first and takes the buffer when bytes came.
func (c *Conn) fillEmpty() error {
	rd := &c.rd
	if c.raw != nil {
		n, err := c.rawFill()
		if n > 0 {
			rd.w = n
			return nil
		}
		return c.readErr(err)
	}
	c.releaseReadBuf()
	if rd.small == nil {
		rd.small = new([smallReadSize]byte)
	}
	n, err := c.nc.Read(rd.small[:])
	if n > 0 {
		c.acquireReadBuf()
		rd.w = copy(rd.buf, rd.small[:n])
		return nil
	}
	if err == nil {
		err = io.ErrNoProgress
	}
	return c.readErr(err)
}

// acquireReadBuf takes a read buffer from the pool unless one is held.
func (c *Conn) acquireReadBuf() {
	rd := &c.rd
	if rd.pb == nil {
		rd.pb = getBuf(c.opts.ReadBufferSize)
		rd.buf = rd.pb.b[:cap(rd.pb.b)]
	}
}

// releaseReadBuf gives an empty read buffer back to the pool. Frame payloads
// that alias it are dead by then: they are valid only until the next read.
func (c *Conn) releaseReadBuf() {
	rd := &c.rd
	if rd.pb != nil && rd.r == rd.w {
		putBuf(rd.pb)
		rd.pb, rd.buf = nil, nil
		rd.r, rd.w = 0, 0
	}
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
	if c.closed.Load() {
		rd.err = fmt.Errorf("wscore: read: %w (%w)", ErrClosed, net.ErrClosed)
		return rd.err
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
		if !c.closeRcvd && c.rcvdCh != nil {
			close(c.rcvdCh) // a Close is waiting for this frame
		}
		c.closeRcvd = true
		c.peerCode, c.peerReason = int32(code), reason
		c.closeMu.Unlock()
		if c.opts.OnCloseFrame != nil {
			c.opts.OnCloseFrame(code, true)
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
