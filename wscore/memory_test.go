package wscore

import (
	"testing"
	"unsafe"
)

// Every idle connection holds one Conn, so its size is memory per
// connection: 768 bytes is a Go allocation size class, and the next one up
// is 896. What only some connections need (the first-read array of non-raw
// sockets, the writev vector of large frames) is made on first use instead
// of being carried by all.
func TestConnFitsItsSizeClass(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		t.Skip("sizes are for 64-bit platforms")
	}
	if n := unsafe.Sizeof(Conn{}); n > 768 {
		t.Fatalf("wscore.Conn is %d bytes; over 768 it takes the next size class (896)", n)
	}
}
