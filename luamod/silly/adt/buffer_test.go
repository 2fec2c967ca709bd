package adt

import (
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

func newBuffer() *buffer { return &buffer{refs: lua.NewState().NewTable()} }

// TestBufferMatchesAReferenceQueue appends and reads random-sized pieces
// and checks every read against a plain string queue.
func TestBufferMatchesAReferenceQueue(t *testing.T) {
	b := newBuffer()
	var want strings.Builder
	src := "line one\nsecond\n\nthird line is long\nx"
	for round := 0; round < 200; round++ {
		piece := src[round%len(src) : min(len(src), round%len(src)+round%7+1)]
		b.push(piece)
		want.WriteString(piece)
		if round%3 == 0 {
			n := b.findDelim('\n')
			idx := strings.IndexByte(want.String(), '\n')
			if (n < 0) != (idx < 0) || (n >= 0 && n != idx+1) {
				t.Fatalf("round %d: findDelim = %d, reference %d", round, n, idx+1)
			}
			if n > 0 {
				got := b.take(n)
				if got != want.String()[:n] {
					t.Fatalf("round %d: line %q, want %q", round, got, want.String()[:n])
				}
				rest := want.String()[n:]
				want.Reset()
				want.WriteString(rest)
			}
		}
		if round%5 == 0 && b.bytes > 3 {
			got := b.take(3)
			if got != want.String()[:3] {
				t.Fatalf("round %d: took %q, want %q", round, got, want.String()[:3])
			}
			rest := want.String()[3:]
			want.Reset()
			want.WriteString(rest)
		}
		if b.bytes != want.Len() {
			t.Fatalf("round %d: %d bytes buffered, want %d", round, b.bytes, want.Len())
		}
	}
	if got := b.take(b.bytes); got != want.String() {
		t.Fatalf("rest %q, want %q", got, want.String())
	}
	if b.refs.Len() != 0 || b.readi != b.writei {
		t.Fatalf("refs or nodes left after draining: %d refs, readi %d writei %d", b.refs.Len(), b.readi, b.writei)
	}
}

func TestBufferGrowsInPowersOfTwo(t *testing.T) {
	b := newBuffer()
	for i := 0; i < 64; i++ {
		b.push("a")
	}
	if len(b.nodes) != 64 {
		t.Fatalf("cap %d after 64 nodes, want 64", len(b.nodes))
	}
	b.push("a")
	if len(b.nodes) != 128 {
		t.Fatalf("cap %d after 65 nodes, want 128", len(b.nodes))
	}
	b.take(65)
	for i := 0; i < 63; i++ {
		b.push("b")
	}
	if b.readi != 65 || b.writei != 128 {
		t.Fatalf("readi %d writei %d, want 65 128", b.readi, b.writei)
	}
	// A full array moves its 63 unread nodes to the front and shrinks to
	// the power of two above them (64) before appending.
	b.push("c")
	if b.readi != 0 || b.writei != 64 || len(b.nodes) != 64 || b.take(64) != strings.Repeat("b", 63)+"c" {
		t.Fatalf("after compaction: readi %d writei %d cap %d", b.readi, b.writei, len(b.nodes))
	}
}

func TestIDPoolReusesLastFreedFirst(t *testing.T) {
	var p idPool
	a, b, c := p.alloc(), p.alloc(), p.alloc()
	if a != 1 || b != 2 || c != 3 {
		t.Fatalf("ids %d %d %d, want 1 2 3", a, b, c)
	}
	p.release(a)
	p.release(c)
	if got := p.alloc(); got != c {
		t.Fatalf("alloc after freeing 1 then 3 = %d, want 3", got)
	}
	if got := p.alloc(); got != a {
		t.Fatalf("next alloc = %d, want 1", got)
	}
	if got := p.alloc(); got != 4 {
		t.Fatalf("then a new id: %d, want 4", got)
	}
}
