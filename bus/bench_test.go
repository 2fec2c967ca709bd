package bus

import (
	"context"
	"testing"
)

// BenchmarkLocalPublishTryRecv: one message through the embedded bus to
// one subscriber that takes it without waiting (the Lua fast path).
func BenchmarkLocalPublishTryRecv(b *testing.B) {
	l := NewLocal()
	defer l.Close()
	s, _ := l.Subscribe("chat.room")
	data := make([]byte, 128)
	b.ReportAllocs()
	for b.Loop() {
		_ = l.Publish("chat.room", data)
		if _, ok := s.TryRecv(); !ok {
			b.Fatal("nothing queued")
		}
	}
}

// BenchmarkLocalFanout8: one publish reaching eight subscriptions (eight
// workers' chat relays), one of them with a wildcard, each received on
// its own goroutine.
func BenchmarkLocalFanout8(b *testing.B) {
	l := NewLocal()
	defer l.Close()
	subs := make([]Subscription, 8)
	for i := range subs {
		subject := "chat.room"
		if i == 0 {
			subject = "chat.*"
		}
		subs[i], _ = l.Subscribe(subject)
	}
	done := make(chan int)
	for _, s := range subs {
		go func() {
			n := 0
			for {
				if _, err := s.Recv(context.Background()); err != nil {
					done <- n
					return
				}
				n++
			}
		}()
	}
	data := make([]byte, 128)
	b.ReportAllocs()
	for b.Loop() {
		_ = l.Publish("chat.room", data)
	}
	l.Close()
	for range subs {
		<-done
	}
}
