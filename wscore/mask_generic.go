//go:build !amd64 || purego

package wscore

import "unsafe"

// maskBlocks XORs the n bytes at p (n a multiple of 16) with the 8-byte
// pattern key, repeated, in pure Go.
func maskBlocks(p unsafe.Pointer, n int, key uint64) {
	// The pattern's phase is 0 at p and key holds the 4-byte key twice.
	maskBytesGeneric(uint32(key), 0, unsafe.Slice((*byte)(p), n))
}

// maskCopyBlocks writes src XOR the pattern to dst (n a multiple of 16).
func maskCopyBlocks(dst, src unsafe.Pointer, n int, key uint64) {
	d := unsafe.Slice((*byte)(dst), n)
	copy(d, unsafe.Slice((*byte)(src), n))
	maskBytesGeneric(uint32(key), 0, d)
}
