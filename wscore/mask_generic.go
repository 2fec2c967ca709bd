//go:build !amd64 || purego

package wscore

import "unsafe"

// maskBlocks XORs the n bytes at p (n a multiple of 16) with the 8-byte
// pattern key, repeated, in pure Go.
func maskBlocks(p unsafe.Pointer, n int, key uint64) {
	// The pattern's phase is 0 at p and key holds the 4-byte key twice.
	maskBytesGeneric(uint32(key), 0, unsafe.Slice((*byte)(p), n))
}
