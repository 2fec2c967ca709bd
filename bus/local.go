package bus

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
)

// Local is the embedded, in-process bus: it connects the runtimes (workers)
// of one process without any server. Publish hands each matching
// subscription the same message without copying it and never waits.
type Local struct {
	maxMsgs, maxBytes int
	inbox             string // "_INBOX.<random>." for this bus's requests
	inboxSeq          atomic.Uint64

	mu     sync.RWMutex
	closed bool
	// Subscriptions by subject without wildcards, and those with. The
	// slices are replaced, never modified in place, so publish may
	// range over them under the read lock while subscribe and close
	// build new ones under the write lock.
	exact map[string][]*localSub
	wild  []*localSub
}

// LocalOption configures NewLocal.
type LocalOption func(*Local)

// WithPendingLimits bounds every subscription's queue to msgs messages and
// bytes bytes of data; a value of 0 or less keeps the default
// (DefaultPendingMsgs, DefaultPendingBytes). There is no unlimited setting.
func WithPendingLimits(msgs, bytes int) LocalOption {
	return func(l *Local) {
		if msgs > 0 {
			l.maxMsgs = msgs
		}
		if bytes > 0 {
			l.maxBytes = bytes
		}
	}
}

// NewLocal returns an in-process bus.
func NewLocal(opts ...LocalOption) *Local {
	var nonce [8]byte
	_, _ = rand.Read(nonce[:]) // crypto/rand.Read never fails
	l := &Local{
		maxMsgs:  DefaultPendingMsgs,
		maxBytes: DefaultPendingBytes,
		inbox:    "_INBOX." + hex.EncodeToString(nonce[:]) + ".",
		exact:    make(map[string][]*localSub),
	}
	for _, o := range opts {
		o(l)
	}
	return l
}

// PublishesInline is true: Local's Publish only queues.
func (l *Local) PublishesInline() bool { return true }

// Publish implements Bus.
func (l *Local) Publish(subject string, data []byte) error {
	_, err := l.publish(subject, "", data)
	return err
}

// PublishRequest implements Bus.
func (l *Local) PublishRequest(subject, reply string, data []byte) error {
	if err := CheckSubject(reply, false); err != nil {
		return fmt.Errorf("bus: publish reply subject: %w", err)
	}
	_, err := l.publish(subject, reply, data)
	return err
}

// publish delivers to every matching subscription and returns how many
// matched (whether or not their queues had room).
func (l *Local) publish(subject, reply string, data []byte) (int, error) {
	if err := CheckSubject(subject, false); err != nil {
		return 0, fmt.Errorf("bus: publish: %w", err)
	}
	m := Msg{Subject: subject, Reply: reply, Data: data}
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.closed {
		return 0, ErrClosed
	}
	n := 0
	for _, s := range l.exact[subject] {
		s.q.push(m)
		n++
	}
	for _, s := range l.wild {
		if Match(s.subject, subject) {
			s.q.push(m)
			n++
		}
	}
	return n, nil
}

// Subscribe implements Bus.
func (l *Local) Subscribe(subject string) (Subscription, error) {
	return l.subscribe(subject)
}

func (l *Local) subscribe(subject string) (*localSub, error) {
	if err := CheckSubject(subject, true); err != nil {
		return nil, fmt.Errorf("bus: subscribe: %w", err)
	}
	s := &localSub{bus: l, subject: subject, wild: hasWildcard(subject), q: newQueue(l.maxMsgs, l.maxBytes)}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil, ErrClosed
	}
	if s.wild {
		l.wild = append(l.wild[:len(l.wild):len(l.wild)], s)
	} else {
		set := l.exact[subject]
		l.exact[subject] = append(set[:len(set):len(set)], s)
	}
	return s, nil
}

// Request implements Bus.
func (l *Local) Request(ctx context.Context, subject string, data []byte) (Msg, error) {
	inbox := l.inbox + strconv.FormatUint(l.inboxSeq.Add(1), 10)
	s, err := l.subscribe(inbox)
	if err != nil {
		return Msg{}, err
	}
	defer s.Close()
	n, err := l.publish(subject, inbox, data)
	if err != nil {
		return Msg{}, fmt.Errorf("bus: request: %w", err)
	}
	if n == 0 {
		return Msg{}, fmt.Errorf("bus: request %q: %w", subject, ErrNoResponders)
	}
	m, err := s.Recv(ctx)
	if err != nil {
		return Msg{}, fmt.Errorf("bus: request %q: %w", subject, err)
	}
	return m, nil
}

// Close implements Bus.
func (l *Local) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	subs := l.wild
	for _, set := range l.exact {
		subs = append(subs[:len(subs):len(subs)], set...)
	}
	l.exact, l.wild = nil, nil
	l.mu.Unlock()
	for _, s := range subs {
		s.q.close()
	}
	return nil
}

// localSub is a Local subscription.
type localSub struct {
	bus     *Local
	subject string
	wild    bool
	q       *queue
}

func (s *localSub) Recv(ctx context.Context) (Msg, error) { return s.q.pop(ctx) }
func (s *localSub) TryRecv() (Msg, bool)                  { return s.q.tryPop() }
func (s *localSub) Subject() string                       { return s.subject }
func (s *localSub) Dropped() uint64                       { return s.q.dropped.Load() }

func (s *localSub) Close() error {
	if !s.q.close() {
		return nil
	}
	l := s.bus
	l.mu.Lock()
	defer l.mu.Unlock()
	if s.wild {
		l.wild = without(l.wild, s)
	} else if set := without(l.exact[s.subject], s); len(set) > 0 {
		l.exact[s.subject] = set
	} else {
		delete(l.exact, s.subject)
	}
	return nil
}

// without returns a new slice of subs without s.
func without(subs []*localSub, s *localSub) []*localSub {
	out := make([]*localSub, 0, len(subs))
	for _, x := range subs {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}
