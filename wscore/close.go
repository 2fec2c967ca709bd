package wscore

import (
	"encoding/binary"
	"fmt"
	"time"
	"unicode/utf8"
)

// Close performs the closing handshake: it sends a close frame with code and
// reason (code 0 or 1005 sends an empty close payload), waits up to
// Options.CloseTimeout for the peer's close frame, then closes the TCP
// connection. When the peer closed first, its code is echoed instead. Close
// may be called while another goroutine is blocked in a read: that read then
// returns the peer's close frame or an error. Calling Close again is
// harmless.
func (c *Conn) Close(code int, reason string) error {
	c.closeMu.Lock()
	rcvd := c.closeRcvd
	if rcvd {
		code, reason = int(c.peerCode), ""
	}
	c.closeMu.Unlock()
	var payload []byte
	if code != 0 && code != StatusNoStatus {
		if !ValidCloseCode(code) {
			return fmt.Errorf("wscore: close with code %d: %w", code, ErrInvalidCloseCode)
		}
		if len(reason) > 123 || !utf8.ValidString(reason) {
			return fmt.Errorf("wscore: close reason must be valid UTF-8 of at most 123 bytes: %w", ErrInvalidUTF8)
		}
		payload = make([]byte, 2+len(reason))
		binary.BigEndian.PutUint16(payload, uint16(code))
		copy(payload[2:], reason)
	}
	deadline := time.Now().Add(c.opts.CloseTimeout)
	err := c.sendClose(payload, deadline)
	if err == ErrCloseSent {
		err = nil
	}
	if !rcvd && err == nil {
		c.waitPeerClose(deadline)
	}
	c.closeTCP()
	return err
}

// CloseNow closes the TCP connection at once, without a closing handshake.
func (c *Conn) CloseNow() error {
	c.closeTCP()
	return nil
}

// PeerClose reports the peer's close code and reason once its close frame
// has been read.
func (c *Conn) PeerClose() (code int, reason string, ok bool) {
	c.closeMu.Lock()
	defer c.closeMu.Unlock()
	return int(c.peerCode), c.peerReason, c.closeRcvd
}

// CloseSent reports whether a close frame has been sent.
func (c *Conn) CloseSent() bool {
	c.closeMu.Lock()
	defer c.closeMu.Unlock()
	return c.closeSent
}

// Done returns a channel closed when the TCP connection has been closed.
func (c *Conn) Done() <-chan struct{} {
	c.closeMu.Lock()
	defer c.closeMu.Unlock()
	return c.closedChLocked()
}

// closedChLocked makes closedCh on first use; closeMu is held.
func (c *Conn) closedChLocked() chan struct{} {
	if c.closedCh == nil {
		c.closedCh = make(chan struct{})
		if c.closed.Load() {
			close(c.closedCh)
		}
	}
	return c.closedCh
}

// sendClose sends a close frame unless one was sent already (ErrCloseSent).
func (c *Conn) sendClose(payload []byte, deadline time.Time) error {
	_, err := c.sendCloseN(payload, deadline)
	return err
}

func (c *Conn) sendCloseN(payload []byte, deadline time.Time) (int, error) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.closeMu.Lock()
	if c.closeSent {
		c.closeMu.Unlock()
		return 0, ErrCloseSent
	}
	c.closeSent = true
	c.closeSentFlag.Store(true)
	c.closeMu.Unlock()
	if !deadline.IsZero() {
		_ = c.nc.SetWriteDeadline(deadline)
		defer c.nc.SetWriteDeadline(timeZero)
	}
	n, err := c.writeFrameLocked(true, 0, OpClose, payload)
	if err == nil && c.opts.OnCloseFrame != nil {
		c.opts.OnCloseFrame(closePayloadCode(payload), false)
	}
	return n, err
}

// closePayloadCode is the status code of a well-formed close payload.
func closePayloadCode(p []byte) int {
	if len(p) < 2 {
		return StatusNoStatus
	}
	return int(binary.BigEndian.Uint16(p))
}

// waitPeerClose waits until the peer's close frame has been read, reading
// (and discarding) frames itself when no other goroutine is reading.
func (c *Conn) waitPeerClose(deadline time.Time) {
	if c.rmu.TryLock() {
		defer c.rmu.Unlock()
		_ = c.nc.SetReadDeadline(deadline)
		for c.rd.err == nil {
			c.recycle()
			if _, _, err := c.nextFrame(); err != nil {
				return
			}
		}
		return
	}
	c.closeMu.Lock()
	if c.rcvdCh == nil {
		c.rcvdCh = make(chan struct{})
		if c.closeRcvd {
			close(c.rcvdCh)
		}
	}
	rcvd, closed := c.rcvdCh, c.closedChLocked()
	c.closeMu.Unlock()
	t := time.NewTimer(time.Until(deadline))
	defer t.Stop()
	select {
	case <-rcvd:
	case <-closed:
	case <-t.C:
	}
}

// closeTCP closes the network connection once.
func (c *Conn) closeTCP() {
	c.closeOnce.Do(func() {
		c.closeMu.Lock()
		c.closed.Store(true)
		if c.closedCh != nil {
			close(c.closedCh)
		}
		c.closeMu.Unlock()
		_ = c.nc.Close()
	})
}

// fail fails the connection (RFC 6455 section 7.1.7): the close code goes to
// the peer and the TCP connection is closed, after a bounded linger that
// lets the peer's close frame arrive (so the peer sees a clean close, not a
// reset) when linger is set. The first failure wins; it is returned.
func (c *Conn) fail(pe *ProtocolError, linger bool) error {
	if !c.failErr.CompareAndSwap(nil, &errBox{pe}) {
		return c.failErr.Load().err
	}
	code := pe.Code
	var payload [2]byte
	binary.BigEndian.PutUint16(payload[:], uint16(code))
	deadline := time.Now().Add(c.opts.CloseTimeout)
	if err := c.sendClose(payload[:], deadline); err != nil && err != ErrCloseSent {
		linger = false
	}
	if !linger {
		c.closeTCP()
		return pe
	}
	go func() {
		// Only this goroutine reads the socket now: the reader has the
		// sticky error and stops.
		_ = c.nc.SetReadDeadline(deadline)
		var sink [512]byte
		for {
			if _, err := c.nc.Read(sink[:]); err != nil {
				break
			}
		}
		c.closeTCP()
	}()
	return pe
}

// abortWriteWait is how long Abort lets its close frame wait for room in
// the socket's send buffer: a peer that does not read gets none.
const abortWriteWait = 10 * time.Millisecond

// Abort fails the connection at once, without a closing handshake: a close
// frame with code and reason goes out only if no other write is in
// progress and the socket takes it without waiting, then the TCP
// connection is closed. It is for peers that stopped reading (a slow
// consumer), where waiting for the write lock or for the peer would hold
// the caller for as long as the stalled write. code 0 sends no close frame.
func (c *Conn) Abort(code int, reason string) {
	if code != 0 && ValidCloseCode(code) && len(reason) <= 123 && c.wmu.TryLock() {
		c.closeMu.Lock()
		send := !c.closeSent
		c.closeSent = true
		c.closeSentFlag.Store(true)
		c.closeMu.Unlock()
		if send {
			payload := make([]byte, 2+len(reason))
			binary.BigEndian.PutUint16(payload, uint16(code))
			copy(payload[2:], reason)
			_ = c.nc.SetWriteDeadline(time.Now().Add(abortWriteWait))
			if _, err := c.writeFrameLocked(true, 0, OpClose, payload); err == nil && c.opts.OnCloseFrame != nil {
				c.opts.OnCloseFrame(code, false)
			}
		}
		c.wmu.Unlock()
	}
	c.closeTCP()
}
