package natsbus_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/bus"
	"github.com/golua-ws/golua-ws/bus/natsbus"
	"github.com/golua-ws/golua-ws/internal/natstest"
	"github.com/nats-io/nats.go"
)

// testLogger sends the bus's log lines to the test's log.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func connect(t *testing.T, url string, opts ...natsbus.Option) *natsbus.Bus {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	opts = append([]natsbus.Option{natsbus.WithLogger(slog.New(slog.NewTextHandler(testWriter{t}, nil)))}, opts...)
	b, err := natsbus.Connect(ctx, url, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b.(*natsbus.Bus)
}

func subscribe(t *testing.T, b *natsbus.Bus, subject string) bus.Subscription {
	t.Helper()
	s, err := b.Subscribe(subject)
	if err != nil {
		t.Fatal(err)
	}
	// The subscription reaches the server before anything is published.
	if err := b.Conn().FlushTimeout(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	return s
}

func recv(t *testing.T, s bus.Subscription, d time.Duration) (bus.Msg, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return s.Recv(ctx)
}

func mustRecv(t *testing.T, s bus.Subscription) bus.Msg {
	t.Helper()
	m, err := recv(t, s, 5*time.Second)
	if err != nil {
		t.Fatalf("recv on %q: %v", s.Subject(), err)
	}
	return m
}

// TestTwoBusesThroughOneServer: two connections (two processes' buses)
// exchange messages, wildcards and requests through a real nats-server.
func TestTwoBusesThroughOneServer(t *testing.T) {
	srv := natstest.Start(t)
	a := connect(t, srv.URL(), natsbus.WithName("a"))
	b := connect(t, srv.URL(), natsbus.WithName("b"))

	star := subscribe(t, b, "chat.*")
	tail := subscribe(t, b, "chat.>")
	if err := a.Publish("chat.room", []byte("hello")); err != nil {
		t.Fatal(err)
	}
	for _, s := range []bus.Subscription{star, tail} {
		if m := mustRecv(t, s); string(m.Data) != "hello" || m.Subject != "chat.room" {
			t.Fatalf("%s got %+v", s.Subject(), m)
		}
	}
	if err := a.Publish("chat.room.deep", []byte("deep")); err != nil {
		t.Fatal(err)
	}
	if m := mustRecv(t, tail); string(m.Data) != "deep" {
		t.Fatalf("chat.> got %q", m.Data)
	}
	if m, ok := star.TryRecv(); ok {
		t.Fatalf("chat.* got %q from chat.room.deep", m.Data)
	}

	svc := subscribe(t, b, "svc.echo")
	go func() {
		for {
			m, err := svc.Recv(context.Background())
			if err != nil {
				return
			}
			_ = b.Publish(m.Reply, append([]byte("echo:"), m.Data...))
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	m, err := a.Request(ctx, "svc.echo", []byte("ping"))
	if err != nil || string(m.Data) != "echo:ping" {
		t.Fatalf("request: %q %v", m.Data, err)
	}
	if _, err := a.Request(ctx, "svc.nobody", nil); !errors.Is(err, bus.ErrNoResponders) {
		t.Fatalf("request to nobody: %v", err)
	}
	if err := a.Publish("chat.*", nil); !errors.Is(err, bus.ErrBadSubject) {
		t.Fatalf("publish to a wildcard: %v", err)
	}
	if _, err := a.Subscribe("a..b"); !errors.Is(err, bus.ErrBadSubject) {
		t.Fatalf("subscribe a..b: %v", err)
	}

	// Closing ends a waiting Recv with ErrClosed.
	waiting := make(chan error, 1)
	go func() {
		_, err := recv(t, star, 10*time.Second)
		waiting <- err
	}()
	time.Sleep(20 * time.Millisecond)
	_ = star.Close()
	if err := <-waiting; !errors.Is(err, bus.ErrClosed) {
		t.Fatalf("recv after the subscription closed: %v", err)
	}
	_ = b.Close()
	if _, err := recv(t, tail, time.Second); !errors.Is(err, bus.ErrClosed) {
		t.Fatalf("recv after the bus closed: %v", err)
	}
	if err := b.Publish("x", nil); !errors.Is(err, bus.ErrClosed) {
		t.Fatalf("publish after close: %v", err)
	}
}

// TestSlowConsumerDropsAreCounted: a subscriber that does not read keeps
// at most its pending limit; the rest is dropped and counted.
func TestSlowConsumerDropsAreCounted(t *testing.T) {
	srv := natstest.Start(t)
	a := connect(t, srv.URL())
	b := connect(t, srv.URL(), natsbus.WithPendingLimits(10, 1<<20))
	slow := subscribe(t, b, "firehose")
	for i := range 100 {
		if err := a.Publish("firehose", fmt.Appendf(nil, "%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Conn().FlushTimeout(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	// b has read them off the socket once a round trip of its own is done.
	if err := b.Conn().FlushTimeout(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for slow.Dropped() < 90 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := slow.Dropped(); got != 90 {
		t.Fatalf("dropped %d, want 90", got)
	}
	for i := range 10 {
		if m := mustRecv(t, slow); string(m.Data) != fmt.Sprint(i) {
			t.Fatalf("kept message %d is %q", i, m.Data)
		}
	}
	if m, ok := slow.TryRecv(); ok {
		t.Fatalf("more than the limit kept: %q", m.Data)
	}
}

func waitStatus(t *testing.T, b *natsbus.Bus, want nats.Status, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for b.Conn().Status() != want {
		if time.Now().After(deadline) {
			t.Fatalf("connection status %v, want %v after %v", b.Conn().Status(), want, within)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// bounded runs fn and fails the test if it takes longer than limit: no
// bus call may hang during an outage.
func bounded(t *testing.T, what string, limit time.Duration, fn func() error) error {
	t.Helper()
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- fn() }()
	select {
	case err := <-done:
		t.Logf("%s: %v after %v", what, err, time.Since(start).Round(time.Millisecond))
		return err
	case <-time.After(limit):
		t.Fatalf("%s still running after %v", what, limit)
		return nil
	}
}

// TestServerOutage stops nats-server mid-test and starts it again on the
// same port: during the outage small publishes are buffered, a publish
// beyond the reconnect buffer fails at once with ErrBufferFull, Recv and
// Request end with their contexts; after the restart both connections
// reconnect and the subscription receives again without resubscribing.
func TestServerOutage(t *testing.T) {
	srv := natstest.Start(t)
	fast := natsbus.WithReconnectWait(20*time.Millisecond, 200*time.Millisecond)
	a := connect(t, srv.URL(), fast, natsbus.WithReconnectBuffer(4096))
	b := connect(t, srv.URL(), fast)
	sub := subscribe(t, b, "outage.>")
	if err := a.Publish("outage.before", []byte("before")); err != nil {
		t.Fatal(err)
	}
	if m := mustRecv(t, sub); string(m.Data) != "before" {
		t.Fatalf("before the outage: %q", m.Data)
	}

	srv.Stop()
	waitStatus(t, a, nats.RECONNECTING, 10*time.Second)
	waitStatus(t, b, nats.RECONNECTING, 10*time.Second)

	if err := bounded(t, "small publish during the outage", 2*time.Second, func() error {
		return a.Publish("outage.during", []byte("buffered"))
	}); err != nil {
		t.Fatalf("a small publish during the outage is buffered, got %v", err)
	}
	err := bounded(t, "publish beyond the reconnect buffer", 2*time.Second, func() error {
		return a.Publish("outage.during", make([]byte, 8192))
	})
	if !errors.Is(err, bus.ErrBufferFull) {
		t.Fatalf("publish beyond the buffer: %v, want ErrBufferFull", err)
	}
	// Small publishes fill the buffer and then fail the same way.
	err = bounded(t, "small publishes until the buffer is full", 2*time.Second, func() error {
		for range 4096 {
			if err := a.Publish("outage.during", make([]byte, 100)); err != nil {
				return err
			}
		}
		return nil
	})
	if !errors.Is(err, bus.ErrBufferFull) {
		t.Fatalf("filling the buffer: %v, want ErrBufferFull", err)
	}
	err = bounded(t, "recv(300ms) during the outage", 3*time.Second, func() error {
		_, err := recv(t, sub, 300*time.Millisecond)
		return err
	})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("recv during the outage: %v", err)
	}
	err = bounded(t, "request(300ms) during the outage", 3*time.Second, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		_, err := a.Request(ctx, "outage.svc", nil)
		return err
	})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("request during the outage: %v", err)
	}

	srv.Restart()
	waitStatus(t, a, nats.CONNECTED, 15*time.Second)
	waitStatus(t, b, nats.CONNECTED, 15*time.Second)

	// The subscription made before the outage receives again: nats.go
	// resubscribed. A's buffered publish may reach the server before B's
	// resubscription does, so it is reported, not required.
	deadline := time.Now().Add(10 * time.Second)
	gotAfter, gotBuffered := false, false
	for !gotAfter {
		if time.Now().After(deadline) {
			t.Fatal("the subscription received nothing after the restart")
		}
		if err := a.Publish("outage.after", []byte("after")); err != nil {
			t.Fatalf("publish after the restart: %v", err)
		}
		m, err := recv(t, sub, 200*time.Millisecond)
		for err == nil {
			switch string(m.Data) {
			case "after":
				gotAfter = true
			case "buffered":
				gotBuffered = true
			}
			m, err = recv(t, sub, 50*time.Millisecond)
		}
	}
	t.Logf("the publish buffered during the outage was delivered: %v", gotBuffered)
}
