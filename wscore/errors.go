package wscore

import (
	"errors"
	"fmt"
)

// Close status codes (RFC 6455 section 7.4.1).
const (
	StatusNormalClosure      = 1000
	StatusGoingAway          = 1001
	StatusProtocolError      = 1002
	StatusUnsupportedData    = 1003
	StatusNoStatus           = 1005 // never sent: a close frame without a payload
	StatusAbnormalClosure    = 1006 // never sent: the TCP connection dropped without a close frame
	StatusInvalidPayload     = 1007
	StatusPolicyViolation    = 1008
	StatusMessageTooBig      = 1009
	StatusMandatoryExtension = 1010
	StatusInternalError      = 1011
	StatusTLSHandshake       = 1015 // never sent
)

// ValidCloseCode reports whether a peer may put code in a close frame:
// 1000-1003, 1007-1011 and 3000-4999.
func ValidCloseCode(code int) bool {
	switch {
	case code >= 1000 && code <= 1003, code >= 1007 && code <= 1011:
		return true
	case code >= 3000 && code <= 4999:
		return true
	}
	return false
}

// Sentinel errors. Errors returned by Conn wrap them, so test with errors.Is.
var (
	// ErrProtocol is wrapped by every protocol violation not covered by a
	// more specific sentinel (reserved bits or opcodes, bad masking,
	// fragmented control frames, bad fragmentation sequences). Close code 1002.
	ErrProtocol = errors.New("wscore: protocol error")
	// ErrFrameTooLarge: a frame payload exceeds Options.MaxFramePayload
	// (received: close code 1009; sent: the frame is not written). The eco
	// binding reports it as "exceeding max payload len".
	ErrFrameTooLarge = errors.New("wscore: frame payload exceeds the limit")
	// ErrMessageTooLarge: a reassembled or inflated message exceeds
	// Options.MaxMessageSize. Close code 1009.
	ErrMessageTooLarge = errors.New("wscore: message exceeds the limit")
	// ErrInvalidUTF8: a text message or close reason is not valid UTF-8.
	// Close code 1007.
	ErrInvalidUTF8 = errors.New("wscore: invalid UTF-8")
	// ErrInvalidCloseCode: a close frame carries a code that may not be sent.
	// Close code 1002.
	ErrInvalidCloseCode = errors.New("wscore: invalid close code")
	// ErrBadCompression: a compressed message does not inflate. Close code 1007.
	ErrBadCompression = errors.New("wscore: invalid compressed data")
	// ErrPongTimeout: keepalive sent a ping and no pong came back within
	// Options.PongTimeout. Close code 1011 is sent if possible.
	ErrPongTimeout = errors.New("wscore: keepalive pong timeout")
	// ErrCloseSent: a data frame was written after the close frame.
	ErrCloseSent = errors.New("wscore: close frame already sent")
	// ErrClosed: the connection has been closed locally.
	ErrClosed = errors.New("wscore: connection closed")
	// ErrBadOpcode, ErrControlTooLarge, ErrBadSequence: invalid arguments to
	// WriteFrame/WriteMessage; nothing is written.
	ErrBadOpcode       = errors.New("wscore: invalid opcode")
	ErrControlTooLarge = errors.New("wscore: control frame payload over 125 bytes or fragmented")
	ErrBadSequence     = errors.New("wscore: invalid fragmentation sequence")
	// ErrBadHandshake is wrapped by every handshake failure (Accept, Dial).
	ErrBadHandshake = errors.New("wscore: bad handshake")
	// ErrTLSHandshake is wrapped, with crypto/tls's own error, by a Dial
	// to a wss:// URL whose TLS handshake failed (an unverifiable
	// certificate, a protocol or alert error, a peer that hung up).
	ErrTLSHandshake = errors.New("wscore: TLS handshake failed")
)

// Violation says which rule a peer broke, for callers that word a
// *ProtocolError in their own terms (the dialects' error strings): switch
// on ProtocolError.Kind, never on its Reason text.
type Violation int

// The violations a ProtocolError reports.
const (
	ViolationOther                    Violation = iota // none of the below
	ViolationReservedDataOpcode                        // opcode 3-7
	ViolationReservedControlOpcode                     // opcode 11-15
	ViolationReservedBits                              // RSV1-3 without an extension that defines them
	ViolationFragmentedControl                         // a control frame without FIN
	ViolationContinuationWithoutStart                  // a continuation frame outside a message
	ViolationDataInsideFragmented                      // a new data frame before the message's last fragment
	ViolationLength64                                  // a 64-bit payload length with the top bit set
	ViolationUnmaskedFromClient                        // a server received an unmasked frame
	ViolationMaskedFromServer                          // a client received a masked frame
	ViolationControlTooLong                            // a control frame payload over 125 bytes
	ViolationCloseOneByte                              // a close frame with a 1-byte payload
	ViolationInvalidCloseCode                          // a close code that may not be sent (ErrInvalidCloseCode)
	ViolationInvalidUTF8                               // ErrInvalidUTF8
	ViolationFrameTooLarge                             // ErrFrameTooLarge
	ViolationMessageTooLarge                           // ErrMessageTooLarge
	ViolationBadCompression                            // ErrBadCompression
	ViolationPongTimeout                               // ErrPongTimeout
)

// ProtocolError reports that the peer violated the protocol (or a limit).
// Code is the close code that was sent to the peer before the connection was
// dropped (1002, 1007, 1009, 1011). Kind is the rule broken; Reason words
// it in English for logs. Err is one of the sentinel errors.
type ProtocolError struct {
	Code   int
	Kind   Violation
	Reason string
	Err    error
}

func (e *ProtocolError) Error() string {
	return fmt.Sprintf("wscore: %s (close %d)", e.Reason, e.Code)
}

func (e *ProtocolError) Unwrap() error { return e.Err }

// protoErr makes a ProtocolError whose sentinel names its kind.
func protoErr(code int, reason string, sentinel error) *ProtocolError {
	kind := ViolationOther
	switch sentinel {
	case ErrInvalidCloseCode:
		kind = ViolationInvalidCloseCode
	case ErrInvalidUTF8:
		kind = ViolationInvalidUTF8
	case ErrFrameTooLarge:
		kind = ViolationFrameTooLarge
	case ErrMessageTooLarge:
		kind = ViolationMessageTooLarge
	case ErrBadCompression:
		kind = ViolationBadCompression
	case ErrPongTimeout:
		kind = ViolationPongTimeout
	}
	return &ProtocolError{Code: code, Kind: kind, Reason: reason, Err: sentinel}
}

// violation makes the ProtocolError of a rule that ErrProtocol covers.
func violation(kind Violation, code int, reason string) *ProtocolError {
	return &ProtocolError{Code: code, Kind: kind, Reason: reason, Err: ErrProtocol}
}

// CloseError is returned by reads once the peer's close frame has been
// received (the first such read returns the close frame itself). Code is the
// peer's status code (1005 when its close frame had no payload, 1006 when the
// TCP connection ended without a close frame).
type CloseError struct {
	Code   int
	Reason string
}

func (e *CloseError) Error() string {
	if e.Reason == "" {
		return fmt.Sprintf("wscore: connection closed with status %d", e.Code)
	}
	return fmt.Sprintf("wscore: connection closed with status %d: %s", e.Code, e.Reason)
}

// CloseStatus returns the close code carried by err: the peer's code for a
// *CloseError, the code sent for a *ProtocolError, and -1 otherwise.
func CloseStatus(err error) int {
	var ce *CloseError
	if errors.As(err, &ce) {
		return ce.Code
	}
	var pe *ProtocolError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return -1
}

// HandshakeProblem says what CheckRequest found wrong with an upgrade
// request, for callers that word the refusal in their own terms.
type HandshakeProblem int

// The problems of an upgrade request, in the order CheckRequest looks.
const (
	ProblemOther        HandshakeProblem = iota // none of the below (origin, extensions, a failed Dial)
	ProblemMethod                               // not GET
	ProblemHTTPVersion                          // older than HTTP/1.1
	ProblemNoUpgrade                            // no Upgrade header
	ProblemUpgrade                              // Upgrade without "websocket"
	ProblemNoConnection                         // no Connection header
	ProblemConnection                           // Connection without "upgrade"
	ProblemNoVersion                            // no Sec-WebSocket-Version
	ProblemVersion                              // Sec-WebSocket-Version other than one "13"
	ProblemNoKey                                // no Sec-WebSocket-Key
	ProblemKeyCount                             // more than one Sec-WebSocket-Key
	ProblemKey                                  // a key that is not 16 bytes in base64
)

// HandshakeError is a failed opening handshake. Status is the HTTP status
// that Accept answered with (400, 403, 426 ...), or that Dial received.
// Problem is what CheckRequest found (ProblemOther for the rest).
type HandshakeError struct {
	Status  int
	Problem HandshakeProblem
	Reason  string
}

func (e *HandshakeError) Error() string {
	return fmt.Sprintf("wscore: bad handshake: %s (HTTP %d)", e.Reason, e.Status)
}

func (e *HandshakeError) Unwrap() error { return ErrBadHandshake }
