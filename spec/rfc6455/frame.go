package rfc6455

import (
	"bufio"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// Opcodes of RFC 6455 section 5.2. Values 3-7 and 0xB-0xF are reserved.
const (
	OpContinuation byte = 0x0
	OpText         byte = 0x1
	OpBinary       byte = 0x2
	OpClose        byte = 0x8
	OpPing         byte = 0x9
	OpPong         byte = 0xA
)

// Reserved bits as the 3-bit value WriteFrame takes (the Autobahn convention:
// 4 is RSV1, 2 is RSV2, 1 is RSV3).
const (
	RSV1 byte = 4
	RSV2 byte = 2
	RSV3 byte = 1
)

// Close codes the suite sends or expects (RFC 6455 section 7.4.1).
const (
	CloseNormal          = 1000
	CloseGoingAway       = 1001
	CloseProtocolError   = 1002
	CloseUnsupportedData = 1003
	CloseNoStatus        = 1005 // never on the wire: an empty close payload
	CloseInvalidPayload  = 1007
	ClosePolicyViolation = 1008
	CloseMessageTooBig   = 1009
	CloseMandatoryExt    = 1010
	CloseInternalError   = 1011
)

// maxReadPayload bounds what ReadFrame accepts from a peer, so a broken target
// cannot make the suite allocate without limit.
const maxReadPayload = 64 << 20

// Frame is one WebSocket frame as it was on the wire.
type Frame struct {
	Fin     bool
	Rsv     byte // 3-bit value: RSV1<<2 | RSV2<<1 | RSV3
	Op      byte
	Masked  bool
	MaskKey [4]byte
	Payload []byte // unmasked
}

// IsControl reports whether the opcode is a control opcode (0x8-0xF).
func (f Frame) IsControl() bool { return f.Op&0x8 != 0 }

func (f Frame) String() string {
	p := f.Payload
	more := ""
	if len(p) > 32 {
		p, more = p[:32], fmt.Sprintf("...(%d bytes)", len(f.Payload))
	}
	return fmt.Sprintf("{fin=%v rsv=%d op=%s masked=%v payload=%q%s}", f.Fin, f.Rsv, OpName(f.Op), f.Masked, p, more)
}

// OpName names an opcode for messages.
func OpName(op byte) string {
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
	return fmt.Sprintf("reserved(0x%X)", op)
}

// AppendFrame encodes a frame onto dst. When mask is true a random masking
// key is used and the payload is masked; the caller's payload is not changed.
// Fields are written as given, so invalid frames (reserved opcodes, long
// control frames) can be produced on purpose.
func AppendFrame(dst []byte, fin bool, rsv, op byte, mask bool, payload []byte) []byte {
	b0 := op & 0xF
	b0 |= (rsv & 7) << 4
	if fin {
		b0 |= 0x80
	}
	dst = append(dst, b0)
	var b1 byte
	if mask {
		b1 = 0x80
	}
	n := len(payload)
	switch {
	case n <= 125:
		dst = append(dst, b1|byte(n))
	case n <= 0xFFFF:
		dst = append(dst, b1|126, byte(n>>8), byte(n))
	default:
		dst = append(dst, b1|127)
		dst = binary.BigEndian.AppendUint64(dst, uint64(n))
	}
	if !mask {
		return append(dst, payload...)
	}
	var key [4]byte
	if _, err := rand.Read(key[:]); err != nil {
		panic(fmt.Sprintf("rfc6455: crypto/rand failed: %v", err)) // never happens on Linux
	}
	dst = append(dst, key[:]...)
	start := len(dst)
	dst = append(dst, payload...)
	maskBytes(dst[start:], key)
	return dst
}

// maskBytes XORs b with the repeating key, eight bytes at a time: the suite
// masks and unmasks messages of up to 16 MiB, also under -race.
func maskBytes(b []byte, key [4]byte) {
	k := uint64(binary.LittleEndian.Uint32(key[:]))
	k |= k << 32
	i := 0
	for ; i+8 <= len(b); i += 8 {
		binary.LittleEndian.PutUint64(b[i:], binary.LittleEndian.Uint64(b[i:])^k)
	}
	for ; i < len(b); i++ {
		b[i] ^= key[i&3]
	}
}

// errFrameTooLarge is returned for a frame announcing more than maxReadPayload.
var errFrameTooLarge = errors.New("frame payload larger than the suite's 64 MiB read limit")

// readFrame parses one frame from r. It checks nothing but the encoding itself;
// protocol checks belong to the caller, which knows the role.
func readFrame(r *bufio.Reader) (Frame, error) {
	var hdr [2]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return Frame{}, err
	}
	f := Frame{
		Fin:    hdr[0]&0x80 != 0,
		Rsv:    (hdr[0] >> 4) & 7,
		Op:     hdr[0] & 0xF,
		Masked: hdr[1]&0x80 != 0,
	}
	n := uint64(hdr[1] & 0x7F)
	switch n {
	case 126:
		var ext [2]byte
		if _, err := io.ReadFull(r, ext[:]); err != nil {
			return f, fmt.Errorf("reading 16-bit length: %w", err)
		}
		n = uint64(binary.BigEndian.Uint16(ext[:]))
	case 127:
		var ext [8]byte
		if _, err := io.ReadFull(r, ext[:]); err != nil {
			return f, fmt.Errorf("reading 64-bit length: %w", err)
		}
		n = binary.BigEndian.Uint64(ext[:])
	}
	if n > maxReadPayload {
		return f, fmt.Errorf("%w: %d bytes", errFrameTooLarge, n)
	}
	if f.Masked {
		if _, err := io.ReadFull(r, f.MaskKey[:]); err != nil {
			return f, fmt.Errorf("reading mask key: %w", err)
		}
	}
	f.Payload = make([]byte, n)
	if _, err := io.ReadFull(r, f.Payload); err != nil {
		return f, fmt.Errorf("reading %d-byte payload: %w", n, err)
	}
	if f.Masked {
		maskBytes(f.Payload, f.MaskKey)
	}
	return f, nil
}

// ClosePayload builds a close frame payload: the code in network byte order
// followed by the reason. Every code is encoded as given, 0 included (use a
// nil payload for a close frame without status).
func ClosePayload(code int, reason string) []byte {
	b := binary.BigEndian.AppendUint16(nil, uint16(code))
	return append(b, reason...)
}

// ParseClose splits a close payload into code and reason. An empty payload
// gives CloseNoStatus; a 1-byte payload is an error.
func ParseClose(p []byte) (code int, reason string, err error) {
	switch len(p) {
	case 0:
		return CloseNoStatus, "", nil
	case 1:
		return 0, "", errors.New("1-byte close payload")
	}
	return int(binary.BigEndian.Uint16(p)), string(p[2:]), nil
}

// ValidReceivedCloseCode reports whether a peer may send code in a close frame
// under the suite's strict reading of RFC 6455 section 7.4: the codes the RFC
// defines for use on the wire (1000-1003, 1007-1011) and 3000-4999. Codes
// 1012-1014 are registered with IANA but defined by no RFC; the suite treats
// them as protocol errors (a target accepting them declares a deviation).
func ValidReceivedCloseCode(code int) bool {
	switch {
	case code >= 1000 && code <= 1003, code >= 1007 && code <= 1011:
		return true
	case code >= 3000 && code <= 4999:
		return true
	}
	return false
}

// utf8FailIndex returns the index of the first byte at which b stops being a
// prefix of valid UTF-8 (RFC 3629, Unicode table 3-7), or -1 if every byte
// can still start or continue a valid sequence. complete reports whether b
// ends on a code point boundary. A strict fail-fast endpoint fails the
// connection as soon as it has seen the byte at the returned index.
func utf8FailIndex(b []byte) (idx int, complete bool) {
	i := 0
	for i < len(b) {
		c := b[i]
		if c < 0x80 {
			i++
			continue
		}
		var need int
		lo, hi := byte(0x80), byte(0xBF)
		switch {
		case c >= 0xC2 && c <= 0xDF:
			need = 1
		case c == 0xE0:
			need, lo = 2, 0xA0
		case c >= 0xE1 && c <= 0xEC, c == 0xEE, c == 0xEF:
			need = 2
		case c == 0xED:
			need, hi = 2, 0x9F
		case c == 0xF0:
			need, lo = 3, 0x90
		case c >= 0xF1 && c <= 0xF3:
			need = 3
		case c == 0xF4:
			need, hi = 3, 0x8F
		default:
			return i, false
		}
		for k := 1; k <= need; k++ {
			if i+k >= len(b) {
				return -1, false
			}
			cc := b[i+k]
			if k == 1 {
				if cc < lo || cc > hi {
					return i + k, false
				}
			} else if cc < 0x80 || cc > 0xBF {
				return i + k, false
			}
		}
		i += need + 1
	}
	return -1, true
}

// validUTF8 is utf8.Valid; kept as a name so the suite's notion of "valid"
// reads as one thing next to utf8FailIndex, which it must agree with.
func validUTF8(b []byte) bool { return utf8.Valid(b) }
