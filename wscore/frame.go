package wscore

import (
	"encoding/binary"
	"unicode/utf8"
)

// Opcode is a WebSocket frame opcode (RFC 6455 section 5.2).
type Opcode byte

// The opcodes defined by RFC 6455. The others are reserved and rejected.
const (
	OpContinuation Opcode = 0x0
	OpText         Opcode = 0x1
	OpBinary       Opcode = 0x2
	OpClose        Opcode = 0x8
	OpPing         Opcode = 0x9
	OpPong         Opcode = 0xA
)

// String returns the lower-case name the Lua APIs use: "continuation",
// "text", "binary", "close", "ping" or "pong"; reserved opcodes give
// "reserved(0xN)".
func (op Opcode) String() string {
	switch op {
	case OpContinuation:
		return "continuation"
	case OpText:
		return "text"
	case OpBinary:
		return "binary"
	case OpClose:
		return "close"
	case OpPing:
		return "ping"
	case OpPong:
		return "pong"
	}
	const hex = "0123456789abcdef"
	return "reserved(0x" + string(hex[op&0xf]) + ")"
}

// IsControl reports whether op is a control opcode (close, ping, pong or a
// reserved control opcode).
func (op Opcode) IsControl() bool { return op&0x8 != 0 }

// IsData reports whether op is text or binary (not continuation).
func (op Opcode) IsData() bool { return op == OpText || op == OpBinary }

func (op Opcode) valid() bool {
	switch op {
	case OpContinuation, OpText, OpBinary, OpClose, OpPing, OpPong:
		return true
	}
	return false
}

// Frame is one WebSocket frame as returned by [Conn.ReadFrame].
//
// Payload is unmasked (and inflated when the message was compressed). It
// aliases the Conn's buffers and stays valid only until the next call to
// ReadFrame, ReadMessage or Close on the same Conn: copy it (for example into
// a Lua string) before reading again.
type Frame struct {
	Fin     bool
	Opcode  Opcode
	Payload []byte
}

// CloseCode returns the status code and reason of a close frame. A close
// frame without a payload gives 1005 (no status received) and "". For other
// opcodes it returns 0, "". Frames returned by ReadFrame have already been
// validated.
func (f Frame) CloseCode() (code int, reason string) {
	if f.Opcode != OpClose {
		return 0, ""
	}
	code, reason, _ = ParseClosePayload(f.Payload)
	return code, reason
}

// maxHeaderSize is the largest frame header: 2 + 8 (length) + 4 (mask key).
const maxHeaderSize = 14

// header is a decoded frame header.
type header struct {
	fin    bool
	rsv    byte // the three RSV bits, in bits 6..4 as on the wire (0x70 mask)
	op     Opcode
	masked bool
	key    uint32 // mask key in wire (little-endian load) order
	length int64
}

// parseHeader decodes a frame header from b. It returns the header length,
// or 0 when b does not hold the whole header yet. A 64-bit length with the
// most significant bit set is reported with ok == false.
func parseHeader(b []byte) (h header, n int, ok bool) {
	if len(b) < 2 {
		return h, 0, true
	}
	b0, b1 := b[0], b[1]
	h.fin = b0&0x80 != 0
	h.rsv = b0 & 0x70
	h.op = Opcode(b0 & 0x0f)
	h.masked = b1&0x80 != 0
	n = 2
	switch l := b1 & 0x7f; l {
	case 126:
		n += 2
	case 127:
		n += 8
	default:
		h.length = int64(l)
	}
	if h.masked {
		n += 4
	}
	if len(b) < n {
		return h, 0, true
	}
	p := 2
	switch b1 & 0x7f {
	case 126:
		h.length = int64(binary.BigEndian.Uint16(b[2:]))
		p = 4
	case 127:
		u := binary.BigEndian.Uint64(b[2:])
		if u>>63 != 0 {
			return h, n, false
		}
		h.length = int64(u)
		p = 10
	}
	if h.masked {
		h.key = binary.LittleEndian.Uint32(b[p:])
	}
	return h, n, true
}

// putHeader encodes a header into b (at least maxHeaderSize bytes) with the
// minimal length encoding and returns its size.
func putHeader(b []byte, fin bool, rsv byte, op Opcode, length int, masked bool, key uint32) int {
	b0 := byte(op) | rsv
	if fin {
		b0 |= 0x80
	}
	b[0] = b0
	var mbit byte
	if masked {
		mbit = 0x80
	}
	n := 2
	switch {
	case length <= 125:
		b[1] = mbit | byte(length)
	case length <= 0xffff:
		b[1] = mbit | 126
		binary.BigEndian.PutUint16(b[2:], uint16(length))
		n = 4
	default:
		b[1] = mbit | 127
		binary.BigEndian.PutUint64(b[2:], uint64(length))
		n = 10
	}
	if masked {
		binary.LittleEndian.PutUint32(b[n:], key)
		n += 4
	}
	return n
}

// headerSize returns the encoded header size for a payload of length n.
// FrameSize returns the number of bytes a frame with an n-byte payload
// takes on the wire: header (masked adds the 4-byte key) and payload. It is
// what WriteFrame returns for such a frame.
func FrameSize(n int, masked bool) int { return headerSize(n, masked) + n }

func headerSize(n int, masked bool) int {
	s := 2
	switch {
	case n > 0xffff:
		s = 10
	case n > 125:
		s = 4
	}
	if masked {
		s += 4
	}
	return s
}

// ParseClosePayload decodes and validates a close frame payload: empty
// gives 1005 and ""; one byte is a protocol error; the code must be one a
// peer may send (1000-1003, 1007-1011, 3000-4999) and the reason valid UTF-8.
// The returned error is a *ProtocolError carrying 1002 or 1007.
func ParseClosePayload(p []byte) (code int, reason string, err error) {
	switch len(p) {
	case 0:
		return StatusNoStatus, "", nil
	case 1:
		return 0, "", violation(ViolationCloseOneByte, StatusProtocolError, "close frame with a 1-byte payload")
	}
	code = int(binary.BigEndian.Uint16(p))
	if !ValidCloseCode(code) {
		return code, "", protoErr(StatusProtocolError, "invalid close code "+itoa(code), ErrInvalidCloseCode)
	}
	if !utf8.Valid(p[2:]) {
		return code, "", protoErr(StatusInvalidPayload, "close reason is not valid UTF-8", ErrInvalidUTF8)
	}
	return code, string(p[2:]), nil
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
