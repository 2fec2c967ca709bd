package websocket

import (
	"errors"
	"fmt"

	"github.com/golua-ws/golua-ws/wscore"
)

// Sentinel errors of the layer. A connection failed by the layer reports
// a *CloseError wrapping one of them; test with errors.Is.
var (
	// ErrSlowConsumer: a send would have taken the connection's queue
	// beyond Options.MaxQueued. The connection was failed with 1008.
	ErrSlowConsumer = errors.New("websocket: slow consumer")
	// ErrWriteTimeout: a queued write did not complete within
	// Options.WriteTimeout. The connection was failed with 1008.
	ErrWriteTimeout = errors.New("websocket: write timeout")
	// ErrGoingAway: the runtime is shutting down; close 1001 was sent.
	ErrGoingAway = errors.New("websocket: going away")
	// ErrHandlerFailed: the task owning the connection ended with an
	// error; close 1011 was sent.
	ErrHandlerFailed = errors.New("websocket: handler failed")
	// ErrClosed: the connection was closed locally.
	ErrClosed = errors.New("websocket: connection closed")
)

// CloseError is why the layer ended a connection: Code and Reason are the
// close code and reason sent (or attempted) to the peer, Err one of the
// sentinels above.
type CloseError struct {
	Code   int
	Reason string
	Err    error
}

func (e *CloseError) Error() string { return fmt.Sprintf("%v (close %d)", e.Err, e.Code) }

func (e *CloseError) Unwrap() error { return e.Err }

// Close reasons the layer sends with its close codes.
const (
	ReasonSlowConsumer = "slow consumer"
	ReasonGoingAway    = "going away"
	ReasonInternal     = "internal error"
)

var (
	errSlow      = &CloseError{Code: wscore.StatusPolicyViolation, Reason: ReasonSlowConsumer, Err: ErrSlowConsumer}
	errTimeout   = &CloseError{Code: wscore.StatusPolicyViolation, Reason: ReasonSlowConsumer, Err: ErrWriteTimeout}
	errGoingAway = &CloseError{Code: wscore.StatusGoingAway, Reason: ReasonGoingAway, Err: ErrGoingAway}
	errFailed    = &CloseError{Code: wscore.StatusInternalError, Reason: ReasonInternal, Err: ErrHandlerFailed}
)
