package wscore

import (
	"encoding/binary"
	"math/bits"
	"unsafe"
)

// nativeLittleEndian selects the word-at-a-time masking path, whose 64-bit
// XOR assumes the key bytes sit in memory order inside the word.
var nativeLittleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// maskBytes XORs b in place with the 4-byte mask key (in little-endian load
// order, as parseHeader stores it) starting at key offset pos, and returns
// the offset for the next byte. Masking is its own inverse.
//
// Blocks of 16 bytes go to maskBlocks (SSE2 assembly on amd64, the word
// loop elsewhere); the key, rotated to the phase of b[0], repeats every
// 4 bytes, so every block sees the same 16-byte pattern.
func maskBytes(key uint32, pos int, b []byte) int {
	end := (pos + len(b)) & 3
	if key == 0 {
		return end
	}
	k := bits.RotateLeft32(key, -8*(pos&3))
	if len(b) >= 16 && nativeLittleEndian {
		n := len(b) &^ 15
		maskBlocks(unsafe.Pointer(&b[0]), n, uint64(k)|uint64(k)<<32)
		b = b[n:]
	}
	for i := range b {
		b[i] ^= byte(k)
		k = bits.RotateLeft32(k, -8)
	}
	return end
}

// maskBytesGeneric is maskBytes in pure Go, a machine word at a time: a
// few head bytes bring the pointer to 8-byte alignment (so the word view is
// legal for checkptr and fast everywhere), the key is rotated to that phase
// and widened to 64 bits, and the loop is one XOR per word, unrolled eight
// times. It backs maskBlocks where there is no assembly.
func maskBytesGeneric(key uint32, pos int, b []byte) int {
	end := (pos + len(b)) & 3
	if key == 0 {
		return end
	}
	k := bits.RotateLeft32(key, -8*(pos&3))
	if len(b) >= 16 && nativeLittleEndian {
		head := int(-uintptr(unsafe.Pointer(&b[0])) & 7)
		for i := 0; i < head; i++ {
			b[i] ^= byte(k)
			k = bits.RotateLeft32(k, -8)
		}
		b = b[head:]
		k64 := uint64(k) | uint64(k)<<32
		words := unsafe.Slice((*uint64)(unsafe.Pointer(&b[0])), len(b)/8)
		for len(words) >= 8 {
			w := words[:8:8]
			w[0] ^= k64
			w[1] ^= k64
			w[2] ^= k64
			w[3] ^= k64
			w[4] ^= k64
			w[5] ^= k64
			w[6] ^= k64
			w[7] ^= k64
			words = words[8:]
		}
		for i := range words {
			words[i] ^= k64
		}
		b = b[len(b)&^7:]
	} else if len(b) >= 8 {
		k64 := uint64(k) | uint64(k)<<32
		for len(b) >= 8 {
			binary.LittleEndian.PutUint64(b, binary.LittleEndian.Uint64(b)^k64)
			b = b[8:]
		}
	}
	for i := range b {
		b[i] ^= byte(k)
		k = bits.RotateLeft32(k, -8)
	}
	return end
}

// maskCopy writes src XOR key into dst (len(dst) >= len(src)) starting at key
// offset pos; it is the copy-and-mask used by the client write path, so the
// caller's payload is never modified. The bulk is one fused pass (read,
// XOR, write), not a memmove followed by masking in place.
func maskCopy(dst, src []byte, key uint32, pos int) int {
	n := len(src)
	dst = dst[:n]
	end := (pos + n) & 3
	k := bits.RotateLeft32(key, -8*(pos&3))
	if n >= 16 && nativeLittleEndian {
		m := n &^ 15
		maskCopyBlocks(unsafe.Pointer(&dst[0]), unsafe.Pointer(&src[0]), m, uint64(k)|uint64(k)<<32)
		dst, src = dst[m:], src[m:]
	}
	for i := range src {
		dst[i] = src[i] ^ byte(k)
		k = bits.RotateLeft32(k, -8)
	}
	return end
}

// maskRand is a per-Conn wyrand generator for mask keys. RFC 6455 asks for
// unpredictable keys; it is seeded from crypto/rand when the Conn is made and
// used only under the write lock, so it needs no synchronisation.
type maskRand struct{ s uint64 }

func (r *maskRand) next() uint32 {
	r.s += 0xa0761d6478bd642f
	hi, lo := bits.Mul64(r.s, r.s^0xe7037ed1a0b428db)
	return uint32(hi ^ lo)
}
