package wscore

import (
	"math/bits"
	"sync"
)

// pbuf is a pooled byte buffer. The pool holds pointers so Put does not
// allocate.
type pbuf struct{ b []byte }

const (
	minPoolShift = 12 // 4 KiB
	maxPoolShift = 26 // 64 MiB
)

// bufPools caches payload and reassembly buffers by power-of-two size class,
// so a connection holds no large buffer while idle and steady traffic does
// not allocate. The pools are safe for concurrent use and hold no
// connection state, only free memory.
var bufPools [maxPoolShift - minPoolShift + 1]sync.Pool

func sizeClass(n int) int {
	if n <= 1<<minPoolShift {
		return 0
	}
	return bits.Len(uint(n-1)) - minPoolShift
}

// getBuf returns a buffer with len n (contents undefined).
func getBuf(n int) *pbuf {
	c := sizeClass(n)
	if c >= len(bufPools) {
		return &pbuf{b: make([]byte, n)}
	}
	if v := bufPools[c].Get(); v != nil {
		p := v.(*pbuf)
		p.b = p.b[:n]
		return p
	}
	return &pbuf{b: make([]byte, n, 1<<(c+minPoolShift))}
}

// growBuf returns a buffer of len n holding p's first keep bytes, reusing p
// when it is large enough; p must not be used afterwards.
func growBuf(p *pbuf, keep, n int) *pbuf {
	if p == nil {
		return getBuf(n)
	}
	if n <= cap(p.b) {
		p.b = p.b[:n]
		return p
	}
	q := getBuf(n)
	copy(q.b, p.b[:keep])
	putBuf(p)
	return q
}

func putBuf(p *pbuf) {
	if p == nil {
		return
	}
	c := sizeClass(cap(p.b))
	if c >= len(bufPools) || cap(p.b) != 1<<(c+minPoolShift) {
		return
	}
	p.b = p.b[:0]
	bufPools[c].Put(p)
}

// Sizes of the inline buffers of a Conn: the first read after the read
// buffer ran empty on a non-raw connection, and the staging of small frames
// (header included).
const (
	smallReadSize  = 128
	smallWriteSize = 256
)
