// Package syncbuf is a byte buffer safe for concurrent use. Tests and the
// spec runner hand it to runtimes and child processes as stdout or stderr,
// which task goroutines write while the test reads.
package syncbuf

import (
	"bytes"
	"sync"
)

// Buffer collects writes from any goroutine. The zero value is ready.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

// String returns everything written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
