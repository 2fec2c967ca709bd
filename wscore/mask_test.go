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
	if testing.Short() {
		t.Log("-short: all alignments, lengths up to 200")
	}
	for i := range src {
		src[i] = byte(r.Uint32())
	}
	kb := [4]byte{0x12, 0x34, 0x56, 0x78}
	key := binary.LittleEndian.Uint32(kb[:])
	for align := 0; align < 32; align++ {
		for n := 0; n <= 200; n++ {
			for pos := 0; pos < 4; pos++ {
				a := append([]byte(nil), src[align:align+n]...)
				b := append([]byte(nil), a...)
				buf := make([]byte, n+32)
				in := buf[align : align+n]
				copy(in, a)
				g := append([]byte(nil), in...)
				p1 := maskBytes(key, pos, in)
				p2 := maskSlow(kb, pos, b)
				if p1 != p2 || !bytes.Equal(in, b) {
					t.Fatalf("align %d n %d pos %d: mismatch", align, n, pos)
				}
				if p4 := maskBytesGeneric(key, pos, g); p4 != p2 || !bytes.Equal(g, b) {
					t.Fatalf("maskBytesGeneric align %d n %d pos %d: mismatch", align, n, pos)
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

// TestMaskBlocksLarge compares the block routine (assembly on amd64) with the
// pure-Go word loop and the byte loop on large buffers at every alignment
// and key phase, and checks it writes nothing outside its bytes.
func TestMaskBlocksLarge(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	kb := [4]byte{0xa1, 0xb2, 0xc3, 0xd4}
	key := binary.LittleEndian.Uint32(kb[:])
	for _, n := range []int{16, 48, 64, 80, 1000, 1024, 4096 + 48, 65536 + 17} {
		for align := 0; align < 16; align++ {
			for pos := 0; pos < 4; pos++ {
				buf := make([]byte, n+32)
				for i := range buf {
					buf[i] = byte(r.Uint32())
				}
				orig := append([]byte(nil), buf...)
				want := append([]byte(nil), buf...)
				maskSlow(kb, pos, want[align:align+n])
				gen := append([]byte(nil), buf...)
				maskBytesGeneric(key, pos, gen[align:align+n])
				maskBytes(key, pos, buf[align:align+n])
				if !bytes.Equal(buf, want) || !bytes.Equal(gen, want) {
					t.Fatalf("n %d align %d pos %d: mismatch", n, align, pos)
				}
				if !bytes.Equal(buf[:align], orig[:align]) || !bytes.Equal(buf[align+n:], orig[align+n:]) {
					t.Fatalf("n %d align %d: bytes outside the slice changed", n, align)
				}
			}
		}
	}
}
