package bus

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestCheckSubject(t *testing.T) {
	for _, tc := range []struct {
		s         string
		wildcards bool
		ok        bool
	}{
		{"chat.room", false, true},
		{"a", false, true},
		{"a.*.c", true, true},
		{"a.>", true, true},
		{">", true, true},
		{"a*.b>", false, true}, // wildcards only as whole tokens
		{"a.*", false, false},
		{"a.>", false, false},
		{"a.>.b", true, false},
		{"", true, false},
		{"a..b", true, false},
		{".a", true, false},
		{"a.", true, false},
		{"a b", true, false},
		{"a\tb", false, false},
		{strings.Repeat("x", MaxSubjectLen), false, true},
		{strings.Repeat("x", MaxSubjectLen+1), true, false},
	} {
		err := CheckSubject(tc.s, tc.wildcards)
		if (err == nil) != tc.ok {
			t.Errorf("CheckSubject(%q, %v) = %v, want ok %v", tc.s, tc.wildcards, err, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrBadSubject) {
			t.Errorf("CheckSubject(%q): %v is not ErrBadSubject", tc.s, err)
		}
	}
}

func TestMatch(t *testing.T) {
	for _, tc := range []struct {
		pattern, subject string
		want             bool
	}{
		{"chat.room", "chat.room", true},
		{"chat.room", "chat.room2", false},
		{"chat.*", "chat.room", true},
		{"chat.*", "chat", false},
		{"chat.*", "chat.room.x", false},
		{"*.room", "chat.room", true},
		{"chat.>", "chat.room", true},
		{"chat.>", "chat.room.x.y", true},
		{"chat.>", "chat", false},
		{">", "anything.at.all", true},
		{"*.*.c", "a.b.c", true},
		{"*.*.c", "a.b.d", false},
		{"a.*.>", "a.b", false},
		{"a.*.>", "a.b.c", true},
		{"a.b.c", "a.b", false},
	} {
		if got := Match(tc.pattern, tc.subject); got != tc.want {
			t.Errorf("Match(%q, %q) = %v, want %v", tc.pattern, tc.subject, got, tc.want)
		}
	}
}

func recvWithin(t *testing.T, s Subscription, d time.Duration) Msg {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	m, err := s.Recv(ctx)
	if err != nil {
		t.Fatalf("recv on %q: %v", s.Subject(), err)
	}
	return m
}

func expectNothing(t *testing.T, s Subscription) {
	t.Helper()
	if m, ok := s.TryRecv(); ok {
		t.Fatalf("%q received %q on %q, want nothing", s.Subject(), m.Data, m.Subject)
	}
}

func mustSub(t *testing.T, b Bus, subject string) Subscription {
	t.Helper()
	s, err := b.Subscribe(subject)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestLocalWildcardDelivery(t *testing.T) {
	b := NewLocal()
	defer b.Close()
	exact := mustSub(t, b, "chat.room")
	star := mustSub(t, b, "chat.*")
	tail := mustSub(t, b, "chat.>")
	other := mustSub(t, b, "news.>")

	if err := b.Publish("chat.room", []byte("hi")); err != nil {
		t.Fatal(err)
	}
	for _, s := range []Subscription{exact, star, tail} {
		if m := recvWithin(t, s, time.Second); string(m.Data) != "hi" || m.Subject != "chat.room" {
			t.Fatalf("%q got %+v", s.Subject(), m)
		}
	}
	expectNothing(t, other)

	if err := b.Publish("chat.room.private", []byte("deep")); err != nil {
		t.Fatal(err)
	}
	if m := recvWithin(t, tail, time.Second); string(m.Data) != "deep" {
		t.Fatalf("chat.> got %+v", m)
	}
	expectNothing(t, exact)
	expectNothing(t, star)

	// Order is kept per subscription.
	for i := range 100 {
		if err := b.Publish("chat.room", fmt.Appendf(nil, "%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 100 {
		if m := recvWithin(t, exact, time.Second); string(m.Data) != fmt.Sprint(i) {
			t.Fatalf("message %d: %q", i, m.Data)
		}
	}
}

func TestLocalBadSubjects(t *testing.T) {
	b := NewLocal()
	defer b.Close()
	for _, s := range []string{"", "a..b", "a.>.b", "a b"} {
		if _, err := b.Subscribe(s); !errors.Is(err, ErrBadSubject) {
			t.Errorf("Subscribe(%q) = %v, want ErrBadSubject", s, err)
		}
	}
	for _, s := range []string{"", "a.*", "a.>", "a..b"} {
		if err := b.Publish(s, nil); !errors.Is(err, ErrBadSubject) {
			t.Errorf("Publish(%q) = %v, want ErrBadSubject", s, err)
		}
		var se *SubjectError
		if err := b.Publish(s, nil); !errors.As(err, &se) || se.Subject != s {
			t.Errorf("Publish(%q) = %v, want a *SubjectError naming it", s, err)
		}
	}
}

func TestLocalSlowSubscriberDrops(t *testing.T) {
	b := NewLocal(WithPendingLimits(10, 1<<20))
	defer b.Close()
	slow := mustSub(t, b, "x")
	for i := range 25 {
		if err := b.Publish("x", fmt.Appendf(nil, "%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if got := slow.Dropped(); got != 15 {
		t.Fatalf("dropped %d, want 15", got)
	}
	// The oldest ten were kept; the newest were dropped.
	for i := range 10 {
		if m := recvWithin(t, slow, time.Second); string(m.Data) != fmt.Sprint(i) {
			t.Fatalf("kept message %d is %q", i, m.Data)
		}
	}
	expectNothing(t, slow)
	// Room again after draining.
	if err := b.Publish("x", []byte("again")); err != nil {
		t.Fatal(err)
	}
	if m := recvWithin(t, slow, time.Second); string(m.Data) != "again" {
		t.Fatalf("after drain: %q", m.Data)
	}

	byBytes := NewLocal(WithPendingLimits(1000, 100))
	defer byBytes.Close()
	s := mustSub(t, byBytes, "y")
	payload := make([]byte, 40)
	for range 5 {
		_ = byBytes.Publish("y", payload)
	}
	if got := s.Dropped(); got != 3 {
		t.Fatalf("bytes limit: dropped %d, want 3 (two 40-byte messages fit in 100)", got)
	}
}

func TestLocalRequestReply(t *testing.T) {
	b := NewLocal()
	defer b.Close()
	svc := mustSub(t, b, "svc.upper")
	go func() {
		for {
			m, err := svc.Recv(context.Background())
			if err != nil {
				return
			}
			_ = b.Publish(m.Reply, append([]byte("re:"), m.Data...))
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for i := range 3 {
		m, err := b.Request(ctx, "svc.upper", fmt.Appendf(nil, "q%d", i))
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("re:q%d", i); string(m.Data) != want {
			t.Fatalf("reply %q, want %q", m.Data, want)
		}
	}
	if _, err := b.Request(ctx, "svc.nobody", nil); !errors.Is(err, ErrNoResponders) {
		t.Fatalf("request to nobody: %v", err)
	}
	// A subscriber that never answers: the request ends with ctx.
	mute := mustSub(t, b, "svc.mute")
	defer mute.Close()
	short, cancel2 := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel2()
	if _, err := b.Request(short, "svc.mute", nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("unanswered request: %v", err)
	}
	svc.Close()
}

func TestLocalCloseWakesReceivers(t *testing.T) {
	b := NewLocal()
	subs := []Subscription{mustSub(t, b, "a"), mustSub(t, b, "b.*")}
	var wg sync.WaitGroup
	errs := make(chan error, len(subs))
	for _, s := range subs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.Recv(context.Background())
			errs <- err
		}()
	}
	time.Sleep(20 * time.Millisecond) // let them wait (the test holds either way)
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if !errors.Is(err, ErrClosed) {
			t.Fatalf("recv after close: %v", err)
		}
	}
	if err := b.Publish("a", nil); !errors.Is(err, ErrClosed) {
		t.Fatalf("publish after close: %v", err)
	}
	if _, err := b.Subscribe("a"); !errors.Is(err, ErrClosed) {
		t.Fatalf("subscribe after close: %v", err)
	}
	_ = subs[0].Close() // harmless after the bus closed
}

func TestLocalSubscriptionClose(t *testing.T) {
	b := NewLocal()
	defer b.Close()
	s := mustSub(t, b, "a.*")
	keep := mustSub(t, b, "a.b")
	_ = b.Publish("a.b", []byte("1"))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Recv(context.Background()); !errors.Is(err, ErrClosed) {
		t.Fatalf("recv on a closed subscription: %v", err)
	}
	_ = b.Publish("a.b", []byte("2"))
	if s.Dropped() != 0 {
		t.Fatal("a closed subscription counts drops")
	}
	recvWithin(t, keep, time.Second)
	recvWithin(t, keep, time.Second)
	if len(b.wild) != 0 {
		t.Fatal("closed wildcard subscription still registered")
	}
	_ = keep.Close()
	if len(b.exact) != 0 {
		t.Fatal("closed subscription still registered")
	}
}

// TestLocalConcurrent runs publishers, receivers and subscribe/close
// churn together; run with -race.
func TestLocalConcurrent(t *testing.T) {
	b := NewLocal()
	defer b.Close()
	const publishers, per = 4, 500
	sub := mustSub(t, b, "load.>")
	var wg sync.WaitGroup
	for p := range publishers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range per {
				if err := b.Publish(fmt.Sprintf("load.%d", p), fmt.Appendf(nil, "%d", i)); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 200 {
			s, err := b.Subscribe("load.*")
			if err != nil {
				t.Error(err)
				return
			}
			s.TryRecv()
			_ = s.Close()
		}
	}()
	// Two receivers share one queue; each stops at an "end" marker,
	// published after everything else.
	got := make(chan int, 2)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for range 2 {
		go func() {
			n := 0
			for {
				m, err := sub.Recv(ctx)
				if err != nil || string(m.Data) == "end" {
					got <- n
					return
				}
				n++
			}
		}()
	}
	wg.Wait()
	for range 2 {
		if err := b.Publish("load.end", []byte("end")); err != nil {
			t.Fatal(err)
		}
	}
	if total := <-got + <-got; total != publishers*per {
		t.Fatalf("received %d, want %d (dropped %d)", total, publishers*per, sub.Dropped())
	}
}

// TestLocalPublishKeepsData pins down what Bus.Publish's comment says: the
// embedded bus hands the receivers the publisher's slice itself.
func TestLocalPublishKeepsData(t *testing.T) {
	l := NewLocal()
	defer l.Close()
	s, err := l.Subscribe("x")
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("abc")
	if err := l.Publish("x", data); err != nil {
		t.Fatal(err)
	}
	m, ok := s.TryRecv()
	if !ok || &m.Data[0] != &data[0] {
		t.Fatalf("got %v %q: not the published slice", ok, m.Data)
	}
}
