//go:build amd64 && !purego

package wscore

import "unsafe"

// maskBlocks XORs the n bytes at p (n a multiple of 16) with the 8-byte
// pattern key, repeated (mask_amd64.s): AVX2 when the CPU and OS support
// it, SSE2 (part of the amd64 baseline) otherwise.
func maskBlocks(p unsafe.Pointer, n int, key uint64) {
	if cpuAVX2 {
		maskBlocksAVX2(p, n, key)
	} else {
		maskBlocksSSE2(p, n, key)
	}
}

// maskCopyBlocks writes the n bytes at src XOR the pattern to dst (n a
// multiple of 16) in one pass.
func maskCopyBlocks(dst, src unsafe.Pointer, n int, key uint64) {
	if cpuAVX2 {
		maskCopyBlocksAVX2(dst, src, n, key)
	} else {
		maskCopyBlocksSSE2(dst, src, n, key)
	}
}

// cpuAVX2 is decided once at start-up and never changes.
var cpuAVX2 = hasAVX2()

// hasAVX2 reports whether AVX2 may be used: CPUID.1:ECX has OSXSAVE (bit
// 27) and AVX (bit 28), XCR0 says the OS saves XMM and YMM state (bits 1
// and 2), and CPUID.(7,0):EBX has AVX2 (bit 5) — the check the Intel SDM
// (vol. 1, "Detection of AVX instructions") prescribes.
func hasAVX2() bool {
	if max, _, _, _ := cpuid(0, 0); max < 7 {
		return false
	}
	if _, _, ecx, _ := cpuid(1, 0); ecx&(1<<27) == 0 || ecx&(1<<28) == 0 {
		return false
	}
	if xcr0, _ := xgetbv(); xcr0&6 != 6 {
		return false
	}
	_, ebx, _, _ := cpuid(7, 0)
	return ebx&(1<<5) != 0
}

//go:noescape
func maskBlocksSSE2(p unsafe.Pointer, n int, key uint64)

//go:noescape
func maskBlocksAVX2(p unsafe.Pointer, n int, key uint64)

func cpuid(leaf, subleaf uint32) (eax, ebx, ecx, edx uint32)

func xgetbv() (eax, edx uint32)

//go:noescape
func maskCopyBlocksSSE2(dst, src unsafe.Pointer, n int, key uint64)

//go:noescape
func maskCopyBlocksAVX2(dst, src unsafe.Pointer, n int, key uint64)
