package packet

import "testing"

// TestChecksum: RFC 1071's worked example, and a packet carrying its own
// checksum sums to zero.
func TestChecksum(t *testing.T) {
	p := []byte{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7}
	if got := Checksum(p); got != ^uint16(0xddf2) {
		t.Fatalf("Checksum = %#04x, want %#04x", got, ^uint16(0xddf2))
	}
	echo := []byte{8, 0, 0, 0, 0x12, 0x34, 0, 1, 'h', 'i', '!'}
	c := Checksum(echo)
	echo[2], echo[3] = byte(c>>8), byte(c)
	if Checksum(echo) != 0 {
		t.Fatal("a packet with its checksum filled in does not sum to zero")
	}
}
