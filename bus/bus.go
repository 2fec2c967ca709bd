// Package bus is golua.bus's Go side: a publish/subscribe message bus with
// NATS subjects, which connects the workers of one process (NewLocal, the
// embedded default, no server) or many processes on many machines (package
// natsbus, on a real NATS server), behind one interface.
//
// Subjects are NATS subjects: tokens separated by '.'; a subscription may use
// '*' for exactly one token and '>' (last) for one or more trailing tokens.
// Every subscription has a bounded queue of pending messages (messages and
// bytes limits, NATS's defaults unless configured): a subscriber that falls
// behind loses the newest messages, which its Dropped counter counts, and
// never makes the bus hold more memory than the limits allow.
//
// A runtime gets its bus through the runtime's services: a host hands one
// bus to several runtimes with WithBus, and From returns it (or a bus of the
// runtime's own, made on first use).
package bus

import (
	"context"
	"errors"
)

// Msg is one message. Data is shared by every subscriber that receives it
// and must not be modified.
type Msg struct {
	Subject string // the subject it was published to
	Reply   string // where to publish an answer ("" for none)
	Data    []byte
}

// Bus publishes messages and makes subscriptions. Every method is safe
// from any goroutine.
type Bus interface {
	// Publish sends data to every subscription whose subject matches.
	// It never waits for a subscriber. subject must not hold wildcards.
	// The bus may keep data and hand it to the receivers as it is (Local
	// does, without copying): the caller must not modify it afterwards.
	Publish(subject string, data []byte) error
	// PublishRequest is Publish with a reply subject the receivers
	// answer on.
	PublishRequest(subject, reply string, data []byte) error
	// Subscribe starts receiving the messages published to subject,
	// which may hold wildcards.
	Subscribe(subject string) (Subscription, error)
	// Request publishes data to subject with a fresh reply subject and
	// returns the first answer. It fails with ErrNoResponders when the
	// bus knows that nobody listens, and with ctx's error when ctx ends
	// first.
	Request(ctx context.Context, subject string, data []byte) (Msg, error)
	// Close ends every subscription made through the bus (their Recv
	// returns ErrClosed) and makes later calls fail with ErrClosed.
	Close() error
}

// Subscription is one subscriber's queue of messages. Its methods are safe
// from any goroutine, but messages go to one receiver: two goroutines
// calling Recv share the queue.
type Subscription interface {
	// Recv returns the next message, waiting until one arrives, the
	// subscription or its bus is closed (ErrClosed), or ctx ends (ctx's
	// error).
	Recv(ctx context.Context) (Msg, error)
	// TryRecv returns the next message if one is already queued.
	TryRecv() (Msg, bool)
	// Subject is the subject given to Subscribe.
	Subject() string
	// Dropped counts the messages lost because the queue was full.
	Dropped() uint64
	// Close ends the subscription; a Recv waiting on it returns
	// ErrClosed. Closing twice is harmless.
	Close() error
}

// InlinePublisher is implemented by a Bus whose Publish returns without
// waiting on I/O, so that a caller holding a scarce lock (a Lua VM token)
// may call it directly. A Bus without it may block in Publish, for example
// to write to a socket, and is called from outside such a lock.
type InlinePublisher interface {
	PublishesInline() bool
}

// Errors a caller branches on. Implementations wrap them with context, so
// test them with errors.Is.
var (
	// ErrClosed: the bus or the subscription is closed.
	ErrClosed = errors.New("bus: closed")
	// ErrBadSubject: a subject is empty, has an empty token, white space,
	// or misplaced wildcards (see SubjectError).
	ErrBadSubject = errors.New("bus: bad subject")
	// ErrNoResponders: a request went to a subject nobody subscribes to.
	ErrNoResponders = errors.New("bus: no responders")
	// ErrBufferFull: the message could not be queued for sending — a
	// NATS connection is down and its reconnect buffer is full.
	ErrBufferFull = errors.New("bus: send buffer full")
	// ErrTooLarge: the message is larger than the bus accepts.
	ErrTooLarge = errors.New("bus: message too large")
)
