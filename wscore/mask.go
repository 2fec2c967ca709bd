package wscore

import (
	"encoding/binary"
	"math/bits"
)

// maskBytes XORs b in place with the 4-byte mask key (in little-endian load
// order, as parseHeader stores it) starting at key offset pos, and returns
// the offset for the next byte. Masking is its own inverse.
//
// The bulk is done a 64-bit word at a time: the key is rotated to the current
// offset once and widened to 8 bytes, so the loop is a load, XOR and store
// per word with no per-byte bookkeeping.
func maskBytes(key uint32, pos int, b []byte) int {
	if key == 0 {
		return (pos + len(b)) & 3
	}
	// Rotate so that byte 0 of k is the key byte for b[0].
	k := bits.RotateLeft32(key, -8*(pos&3))
	if len(b) >= 8 {
		k64 := uint64(k) | uint64(k)<<32
		for len(b) >= 64 {
			v := binary.LittleEndian.Uint64(b)
			binary.LittleEndian.PutUint64(b, v^k64)
			v = binary.LittleEndian.Uint64(b[8:])
			binary.LittleEndian.PutUint64(b[8:], v^k64)
			v = binary.LittleEndian.Uint64(b[16:])
			binary.LittleEndian.PutUint64(b[16:], v^k64)
			v = binary.LittleEndian.Uint64(b[24:])
			binary.LittleEndian.PutUint64(b[24:], v^k64)
			v = binary.LittleEndian.Uint64(b[32:])
			binary.LittleEndian.PutUint64(b[32:], v^k64)
			v = binary.LittleEndian.Uint64(b[40:])
			binary.LittleEndian.PutUint64(b[40:], v^k64)
			v = binary.LittleEndian.Uint64(b[48:])
			binary.LittleEndian.PutUint64(b[48:], v^k64)
			v = binary.LittleEndian.Uint64(b[56:])
			binary.LittleEndian.PutUint64(b[56:], v^k64)
			b = b[64:]
			pos += 64
		}
		for len(b) >= 8 {
			v := binary.LittleEndian.Uint64(b)
			binary.LittleEndian.PutUint64(b, v^k64)
			b = b[8:]
			pos += 8
		}
	}
	if len(b) >= 4 {
		v := binary.LittleEndian.Uint32(b)
		binary.LittleEndian.PutUint32(b, v^k)
		b = b[4:]
		pos += 4
	}
	for i := range b {
		b[i] ^= byte(k >> (8 * (i & 3)))
	}
	return (pos + len(b)) & 3
}

// maskCopy writes src XOR key into dst (len(dst) >= len(src)) starting at key
// offset pos; it is the copy-and-mask used by the client write path, so the
// caller's payload is never modified.
func maskCopy(dst, src []byte, key uint32, pos int) int {
	k := bits.RotateLeft32(key, -8*(pos&3))
	k64 := uint64(k) | uint64(k)<<32
	n := len(src)
	dst = dst[:n]
	i := 0
	for ; i+32 <= n; i += 32 {
		binary.LittleEndian.PutUint64(dst[i:], binary.LittleEndian.Uint64(src[i:])^k64)
		binary.LittleEndian.PutUint64(dst[i+8:], binary.LittleEndian.Uint64(src[i+8:])^k64)
		binary.LittleEndian.PutUint64(dst[i+16:], binary.LittleEndian.Uint64(src[i+16:])^k64)
		binary.LittleEndian.PutUint64(dst[i+24:], binary.LittleEndian.Uint64(src[i+24:])^k64)
	}
	for ; i+8 <= n; i += 8 {
		binary.LittleEndian.PutUint64(dst[i:], binary.LittleEndian.Uint64(src[i:])^k64)
	}
	for ; i < n; i++ {
		dst[i] = src[i] ^ byte(k>>(8*(i&3)))
	}
	return (pos + n) & 3
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
