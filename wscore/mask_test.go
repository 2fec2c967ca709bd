package wscore

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"testing"
)

func maskSlow(key [4]byte, pos int, b []byte) int {
	for i := range b {
		b[i] ^= key[(pos+i)&3]
	}
	return (pos + len(b)) & 3
}

func TestMaskMatchesByteLoop(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	src := make([]byte, 300)
	for i := range src {
		src[i] = byte(r.Uint32())
	}
	kb := [4]byte{0x12, 0x34, 0x56, 0x78}
	key := binary.LittleEndian.Uint32(kb[:])
	for align := 0; align < 8; align++ {
		for n := 0; n <= 200; n++ {
			for pos := 0; pos < 4; pos++ {
				a := append([]byte(nil), src[align:align+n]...)
				b := append([]byte(nil), a...)
				buf := make([]byte, n+8)
				in := buf[align%8 : align%8+n]
				copy(in, a)
				p1 := maskBytes(key, pos, in)
				p2 := maskSlow(kb, pos, b)
				if p1 != p2 || !bytes.Equal(in, b) {
					t.Fatalf("align %d n %d pos %d: mismatch", align, n, pos)
				}
				dst := make([]byte, n)
				p3 := maskCopy(dst, a, key, pos)
				if p3 != p2 || !bytes.Equal(dst, b) {
					t.Fatalf("maskCopy align %d n %d pos %d: mismatch", align, n, pos)
				}
			}
		}
	}
}

func TestMaskSplitResumes(t *testing.T) {
	kb := [4]byte{1, 2, 3, 4}
	key := binary.LittleEndian.Uint32(kb[:])
	data := bytes.Repeat([]byte("websocket!"), 50)
	want := append([]byte(nil), data...)
	maskSlow(kb, 0, want)
	for cut := 0; cut <= len(data); cut += 7 {
		got := append([]byte(nil), data...)
		pos := maskBytes(key, 0, got[:cut])
		maskBytes(key, pos, got[cut:])
		if !bytes.Equal(got, want) {
			t.Fatalf("split at %d differs", cut)
		}
	}
}

func TestMaskRandDiffers(t *testing.T) {
	var r maskRand
	r.s = 42
	seen := map[uint32]bool{}
	for i := 0; i < 1000; i++ {
		seen[r.next()] = true
	}
	if len(seen) < 990 {
		t.Fatalf("only %d distinct keys in 1000", len(seen))
	}
}
