package runtime_test

import (
	"testing"

	"github.com/golua-ws/golua-ws/runtime"
)

type sharedKey struct{}

// Two runtimes given the same object with WithService both return it, and
// a key nobody seeded is still made once per runtime.
func TestWithServiceSharesOneObject(t *testing.T) {
	shared := &struct{ n int }{}
	opt := runtime.WithService(sharedKey{}, shared)
	a, b := runtime.New(opt), runtime.New(opt)
	defer a.Exit(0)
	defer b.Exit(0)
	for _, rt := range []*runtime.Runtime{a, b} {
		got := rt.Service(sharedKey{}, func() any { t.Fatal("seeded service was made again"); return nil })
		if got != shared {
			t.Fatalf("Service returned %v, want the seeded object", got)
		}
	}
	type ownKey struct{}
	made := 0
	mk := func() any { made++; return new(int) }
	if a.Service(ownKey{}, mk) == b.Service(ownKey{}, mk) || made != 2 {
		t.Fatalf("an unseeded key should be made once per runtime (made %d)", made)
	}
}
