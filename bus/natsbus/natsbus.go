// Package natsbus puts golua.bus on a NATS server, through the official
// client github.com/nats-io/nats.go, so that golua-ws processes on many
// machines share one bus.
//
// What a connection does when the server goes away, all of it nats.go's
// own machinery configured here:
//
//   - it reconnects for ever, waiting between rounds with an exponential
//     backoff (from 50 ms doubling up to 2 s by default, plus up to 20%
//     jitter), and nats.go resends every subscription after reconnecting;
//   - a Publish during the outage is buffered in nats.go's reconnect
//     buffer (8 MiB by default, WithReconnectBuffer) and sent after
//     reconnecting; a publish that would take the buffer past its size
//     fails at once with bus.ErrBufferFull — it never waits for the
//     server. Buffered messages reach the subscribers that are
//     subscribed again by the time they are sent: a subscriber whose
//     own connection has not reconnected yet misses them;
//   - a Request or Recv waits at most until its context ends;
//   - a connection nats.go gives up on (the server closed it for a protocol
//     error, or refused the credentials again after a reconnect) is not
//     reconnected: the bus logs it as an error, and every call fails with
//     bus.ErrClosed from then on.
//
// Every subscription has nats.go's pending limits (SetPendingLimits):
// 65,536 messages and 64 MiB by default (WithPendingLimits). A subscriber
// that falls further behind loses messages, as NATS drops for a slow
// consumer, and its Dropped counter counts them.
//
// Credentials: a user and password or a token in the URL
// (nats://user:pass@host:4222, nats://token@host:4222), a .creds file
// (WithCredsFile), TLS with a CA and a client certificate (WithTLS, or a
// tls:// URL). EnvOptions reads these from GOLUA_BUS_CREDS, GOLUA_BUS_CA,
// GOLUA_BUS_CERT and GOLUA_BUS_KEY.
package natsbus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/golua-ws/golua-ws/bus"
	"github.com/nats-io/nats.go"
)

// Defaults of the options below.
const (
	DefaultPendingMsgs     = 65536
	DefaultPendingBytes    = 64 << 20
	DefaultReconnectBuffer = nats.DefaultReconnectBufSize // 8 MiB
	DefaultReconnectMin    = 50 * time.Millisecond
	DefaultReconnectMax    = 2 * time.Second
)

type config struct {
	name                     string
	pendingMsgs, pendingByte int
	reconnectBuf             int
	reconnectMin             time.Duration
	reconnectMax             time.Duration
	creds                    string
	ca, cert, key            string
	logger                   *slog.Logger
	extra                    []nats.Option
}

// Option configures Connect.
type Option func(*config)

// WithName names the connection in the server's monitoring.
func WithName(name string) Option { return func(c *config) { c.name = name } }

// WithPendingLimits bounds every subscription's queue to msgs messages and
// bytes bytes; values of 0 or less keep the defaults. The message limit is
// also the size of the subscription's channel inside nats.go (8 bytes a
// slot, allocated when subscribing).
func WithPendingLimits(msgs, bytes int) Option {
	return func(c *config) {
		if msgs > 0 {
			c.pendingMsgs = msgs
		}
		if bytes > 0 {
			c.pendingByte = bytes
		}
	}
}

// WithReconnectBuffer sets how many bytes of publishes are kept while the
// connection is down. A value below 0 buffers nothing: publishes fail
// with bus.ErrBufferFull during an outage.
func WithReconnectBuffer(bytes int) Option { return func(c *config) { c.reconnectBuf = bytes } }

// WithReconnectWait sets the backoff between reconnect rounds: min for the
// first, doubling up to max.
func WithReconnectWait(min, max time.Duration) Option {
	return func(c *config) { c.reconnectMin, c.reconnectMax = min, max }
}

// WithCredsFile authenticates with a NATS .creds file (user JWT and NKey
// seed).
func WithCredsFile(path string) Option { return func(c *config) { c.creds = path } }

// WithTLS turns TLS on: ca (PEM) verifies the server, certFile and keyFile
// (PEM) are the client's certificate. Any of them may be "".
func WithTLS(ca, certFile, keyFile string) Option {
	return func(c *config) { c.ca, c.cert, c.key = ca, certFile, keyFile }
}

// WithLogger logs disconnects, reconnects and slow-consumer drops to l
// (default slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithNATSOptions passes further nats.go options, applied last.
func WithNATSOptions(opts ...nats.Option) Option {
	return func(c *config) { c.extra = append(c.extra, opts...) }
}

// Environment variables read by EnvOptions.
const (
	EnvCreds = "GOLUA_BUS_CREDS"
	EnvCA    = "GOLUA_BUS_CA"
	EnvCert  = "GOLUA_BUS_CERT"
	EnvKey   = "GOLUA_BUS_KEY"
)

// EnvOptions returns the options set by GOLUA_BUS_CREDS (a .creds file),
// GOLUA_BUS_CA, GOLUA_BUS_CERT and GOLUA_BUS_KEY (PEM files), read with
// getenv (os.Getenv).
func EnvOptions(getenv func(string) string) []Option {
	var opts []Option
	if p := getenv(EnvCreds); p != "" {
		opts = append(opts, WithCredsFile(p))
	}
	ca, cert, key := getenv(EnvCA), getenv(EnvCert), getenv(EnvKey)
	if ca != "" || cert != "" || key != "" {
		opts = append(opts, WithTLS(ca, cert, key))
	}
	return opts
}

// Bus is a bus.Bus on one NATS connection.
type Bus struct {
	nc      *nats.Conn
	cfg     config
	logger  *slog.Logger
	closing atomic.Bool // Close was called: the connection's end is ours
}

// Connect connects to the NATS server(s) at urls (comma-separated
// nats://, tls:// URLs; credentials may be in them) and returns the bus.
// It fails if no server answers before ctx ends or nats.go gives up on
// the first connection; after that, it reconnects for ever.
func Connect(ctx context.Context, urls string, opts ...Option) (bus.Bus, error) {
	b, err := connect(ctx, urls, opts)
	if err != nil {
		return nil, err
	}
	return b, nil
}

func connect(ctx context.Context, urls string, opts []Option) (*Bus, error) {
	cfg := config{
		pendingMsgs:  DefaultPendingMsgs,
		pendingByte:  DefaultPendingBytes,
		reconnectBuf: DefaultReconnectBuffer,
		reconnectMin: DefaultReconnectMin,
		reconnectMax: DefaultReconnectMax,
		logger:       slog.Default(),
	}
	for _, o := range opts {
		o(&cfg)
	}
	b := &Bus{cfg: cfg, logger: cfg.logger}
	where := Redact(urls)
	nopts := []nats.Option{
		nats.MaxReconnects(-1),
		nats.CustomReconnectDelay(cfg.backoff),
		nats.ReconnectBufSize(cfg.reconnectBuf),
		nats.SyncQueueLen(cfg.pendingMsgs),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				b.logger.Warn("golua.bus: disconnected from NATS", "server", where, "err", err)
			}
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) {
			b.logger.Info("golua.bus: reconnected to NATS", "server", Redact(nc.ConnectedUrlRedacted()))
		}),
		nats.ClosedHandler(func(nc *nats.Conn) {
			// nats.go gave up (a protocol error the server closed the
			// connection for, repeated authorization failures): it never
			// reconnects, and every publish, subscribe and recv fails
			// with 'closed' from now on.
			if !b.closing.Load() {
				b.logger.Error("golua.bus: NATS connection closed for good, the bus is down", "server", where, "err", nc.LastError())
			}
		}),
		nats.ErrorHandler(func(_ *nats.Conn, s *nats.Subscription, err error) {
			if s != nil {
				b.logger.Warn("golua.bus: NATS subscription error", "subject", s.Subject, "err", err)
				return
			}
			b.logger.Warn("golua.bus: NATS error", "err", err)
		}),
	}
	if cfg.name != "" {
		nopts = append(nopts, nats.Name(cfg.name))
	}
	if cfg.creds != "" {
		nopts = append(nopts, nats.UserCredentials(cfg.creds))
	}
	if cfg.ca != "" {
		nopts = append(nopts, nats.RootCAs(cfg.ca))
	}
	if cfg.cert != "" || cfg.key != "" {
		nopts = append(nopts, nats.ClientCert(cfg.cert, cfg.key))
	}
	if dl, ok := ctx.Deadline(); ok {
		nopts = append(nopts, nats.Timeout(max(time.Until(dl), time.Millisecond)))
	}
	nopts = append(nopts, cfg.extra...)

	type result struct {
		nc  *nats.Conn
		err error
	}
	done := make(chan result, 1)
	go func() {
		nc, err := nats.Connect(urls, nopts...)
		done <- result{nc, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			return nil, fmt.Errorf("natsbus: connect %s: %w", where, r.err)
		}
		b.nc = r.nc
		return b, nil
	case <-ctx.Done():
		go func() {
			if r := <-done; r.nc != nil {
				b.closing.Store(true)
				r.nc.Close()
			}
		}()
		return nil, fmt.Errorf("natsbus: connect %s: %w", where, ctx.Err())
	}
}

// backoff is nats.go's delay before a reconnect round: exponential from
// reconnectMin to reconnectMax, plus up to 20% jitter so that many
// clients cut off together do not return together.
func (c *config) backoff(attempts int) time.Duration {
	d := c.reconnectMin
	for i := 1; i < attempts && d < c.reconnectMax; i++ {
		d *= 2
	}
	d = min(d, c.reconnectMax)
	if d <= 0 {
		return 0
	}
	return d + rand.N(d/5+1)
}

// Redact returns urls with the passwords and tokens in them replaced by
// "xxxxx", for messages.
func Redact(urls string) string {
	parts := strings.Split(urls, ",")
	for i, p := range parts {
		u, err := url.Parse(strings.TrimSpace(p))
		if err != nil || u.User == nil {
			continue
		}
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		} else {
			u.User = url.User("xxxxx")
		}
		parts[i] = u.String()
	}
	return strings.Join(parts, ",")
}

// Conn returns the nats.go connection, for what this package does not
// cover (status, statistics, JetStream).
func (b *Bus) Conn() *nats.Conn { return b.nc }

// wrap maps nats.go's errors onto package bus's.
func wrap(op, subject string, err error) error {
	var kind error
	switch {
	case errors.Is(err, nats.ErrConnectionClosed), errors.Is(err, nats.ErrBadSubscription):
		kind = bus.ErrClosed
	case errors.Is(err, nats.ErrReconnectBufExceeded):
		kind = bus.ErrBufferFull
	case errors.Is(err, nats.ErrMaxPayload):
		kind = bus.ErrTooLarge
	case errors.Is(err, nats.ErrNoResponders):
		kind = bus.ErrNoResponders
	case errors.Is(err, nats.ErrTimeout):
		kind = context.DeadlineExceeded
	}
	if kind != nil && !errors.Is(err, kind) {
		return fmt.Errorf("natsbus: %s %q: %w: %w", op, subject, kind, err)
	}
	return fmt.Errorf("natsbus: %s %q: %w", op, subject, err)
}

// Publish implements bus.Bus. It only appends to nats.go's buffer, but
// when that buffer is full it writes to the socket in line, so it may
// block for as long as the server takes to read.
func (b *Bus) Publish(subject string, data []byte) error {
	return b.PublishRequest(subject, "", data)
}

// PublishRequest implements bus.Bus.
func (b *Bus) PublishRequest(subject, reply string, data []byte) error {
	if err := bus.CheckSubject(subject, false); err != nil {
		return fmt.Errorf("natsbus: publish: %w", err)
	}
	if b.nc.IsReconnecting() && b.cfg.reconnectBuf > 0 {
		// nats.go refuses a publish only once its buffer is already
		// past the limit; refuse the one that would take it there.
		if n, err := b.nc.Buffered(); err == nil && n+len(subject)+len(reply)+len(data) > b.cfg.reconnectBuf {
			return fmt.Errorf("natsbus: publish %q: %w (%d of %d bytes buffered while reconnecting)",
				subject, bus.ErrBufferFull, n, b.cfg.reconnectBuf)
		}
	}
	var err error
	if reply == "" {
		err = b.nc.Publish(subject, data)
	} else {
		if err := bus.CheckSubject(reply, false); err != nil {
			return fmt.Errorf("natsbus: publish reply subject: %w", err)
		}
		err = b.nc.PublishRequest(subject, reply, data)
	}
	if err != nil {
		return wrap("publish", subject, err)
	}
	return nil
}

// Subscribe implements bus.Bus.
func (b *Bus) Subscribe(subject string) (bus.Subscription, error) {
	if err := bus.CheckSubject(subject, true); err != nil {
		return nil, fmt.Errorf("natsbus: subscribe: %w", err)
	}
	s, err := b.nc.SubscribeSync(subject)
	if err != nil {
		return nil, wrap("subscribe", subject, err)
	}
	if err := s.SetPendingLimits(b.cfg.pendingMsgs, b.cfg.pendingByte); err != nil {
		_ = s.Unsubscribe()
		return nil, wrap("subscribe", subject, err)
	}
	return &subscription{s: s}, nil
}

// Request implements bus.Bus.
func (b *Bus) Request(ctx context.Context, subject string, data []byte) (bus.Msg, error) {
	if err := bus.CheckSubject(subject, false); err != nil {
		return bus.Msg{}, fmt.Errorf("natsbus: request: %w", err)
	}
	m, err := b.nc.RequestWithContext(ctx, subject, data)
	if err != nil {
		return bus.Msg{}, wrap("request", subject, err)
	}
	return toMsg(m), nil
}

// Close implements bus.Bus: it flushes what is buffered, waiting at most a
// second for the server, and closes the connection; every subscription's
// Recv returns bus.ErrClosed.
func (b *Bus) Close() error {
	b.closing.Store(true)
	if !b.nc.IsClosed() {
		_ = b.nc.FlushTimeout(time.Second)
	}
	b.nc.Close()
	return nil
}

// toMsg is m as package bus has it (the data is not copied).
func toMsg(m *nats.Msg) bus.Msg { return bus.Msg{Subject: m.Subject, Reply: m.Reply, Data: m.Data} }

// subscription is a synchronous nats.go subscription: nats.go queues its
// messages within the pending limits, and Recv takes them.
type subscription struct {
	s *nats.Subscription
}

func (s *subscription) Recv(ctx context.Context) (bus.Msg, error) {
	for {
		m, err := s.s.NextMsgWithContext(ctx)
		switch {
		case err == nil:
			return toMsg(m), nil
		case errors.Is(err, nats.ErrSlowConsumer):
			continue // nats.go reports a drop once; Dropped counts it
		case ctx.Err() != nil:
			return bus.Msg{}, ctx.Err()
		}
		return bus.Msg{}, wrap("recv", s.s.Subject, err)
	}
}

func (s *subscription) TryRecv() (bus.Msg, bool) {
	for {
		m, err := s.s.NextMsg(0)
		if errors.Is(err, nats.ErrSlowConsumer) {
			continue
		}
		if err != nil {
			return bus.Msg{}, false
		}
		return toMsg(m), true
	}
}

func (s *subscription) Subject() string { return s.s.Subject }

// Dropped counts nats.go's drops for this subscription (0 once closed).
func (s *subscription) Dropped() uint64 {
	n, err := s.s.Dropped()
	if err != nil || n < 0 {
		return 0
	}
	return uint64(n)
}

func (s *subscription) Close() error {
	err := s.s.Unsubscribe()
	if err != nil && !errors.Is(err, nats.ErrBadSubscription) && !errors.Is(err, nats.ErrConnectionClosed) {
		return wrap("unsubscribe", s.s.Subject, err)
	}
	return nil
}
