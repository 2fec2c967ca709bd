//go:build amd64 && !purego

package wscore

import (
	"bytes"
	"encoding/binary"
	"testing"
	"unsafe"
)

// TestMaskKernelsAMD64 runs both assembly kernels (AVX2 only where the CPU
// has it) against the pure-Go word loop at every length up to 600 and every
// alignment in a 32-byte window, and checks the bytes around the slice.
func TestMaskKernelsAMD64(t *testing.T) {
	kernels := map[string]func(unsafe.Pointer, int, uint64){"sse2": maskBlocksSSE2}
	if cpuAVX2 {
		kernels["avx2"] = maskBlocksAVX2
	} else {
		t.Log("no AVX2 on this CPU: testing the SSE2 kernel only")
	}
	kb := [4]byte{0x0f, 0xf0, 0x55, 0xaa}
	key := binary.LittleEndian.Uint32(kb[:])
	k64 := uint64(key) | uint64(key)<<32
	for name, kernel := range kernels {
		for n := 16; n <= 600; n += 16 {
			for align := 0; align < 32; align++ {
				buf := make([]byte, n+64)
				for i := range buf {
					buf[i] = byte(i*7 + n)
				}
				want := append([]byte(nil), buf...)
				maskBytesGeneric(key, 0, want[align:align+n])
				src := append([]byte(nil), buf...)
				kernel(unsafe.Pointer(&buf[align]), n, k64)
				if !bytes.Equal(buf, want) {
					t.Fatalf("%s: n %d align %d differs from the pure-Go loop", name, n, align)
				}
				// The copying kernel, from src at another alignment.
				dst := make([]byte, n+64)
				copy(dst, src)
				copyKernel := maskCopyBlocksSSE2
				if name == "avx2" {
					copyKernel = maskCopyBlocksAVX2
				}
				sa := (align * 7) % 32
				s2 := make([]byte, n+64)
				copy(s2[sa:], src[align:align+n])
				copyKernel(unsafe.Pointer(&dst[align]), unsafe.Pointer(&s2[sa]), n, k64)
				if !bytes.Equal(dst, want) {
					t.Fatalf("%s copy: n %d align %d/%d differs from the pure-Go loop", name, n, align, sa)
				}
			}
		}
	}
}
