package fdio

import (
	"bytes"
	"time"

	"github.com/golua-ws/golua-ws/runtime"
)

// readBufSize is lua-eco's reader buffer (RD_BUFSIZE): the most a line
// read takes per read(2), and what readuntil keeps between calls.
const readBufSize = 4096

// Reader is lua-eco's eco.reader over a handle: buffered reads by count,
// to end of input, by line, in full, and until a delimiter. It remembers
// end of input so that a second read at the end returns ErrEOF where the
// first returned what was left. Its methods need the VM token; the caller
// checks [Handle.CheckBusy] for Read first. Errors other than ErrEOF come
// from [Handle.ReadOnce].
type Reader struct {
	h   *Handle
	buf []byte // bytes read and not yet returned; capacity readBufSize
	eof bool   // the last read(2) returned end of input
}

// NewReader returns a reader on h.
func NewReader(h *Handle) *Reader {
	return &Reader{h: h, buf: make([]byte, 0, readBufSize)}
}

// Handle returns the reader's handle.
func (r *Reader) Handle() *Handle { return r.h }

// take returns a copy of the first n buffered bytes and drops them.
func (r *Reader) take(n int) []byte {
	out := bytes.Clone(r.buf[:n])
	r.drop(n)
	return out
}

func (r *Reader) drop(n int) {
	rest := copy(r.buf, r.buf[n:])
	r.buf = r.buf[:rest]
}

// fill reads once into p and records end of input.
func (r *Reader) fill(t *runtime.Task, p []byte, timeout time.Duration) (int, error) {
	n, err := r.h.ReadOnce(t, p, timeout)
	if err != nil {
		return 0, err
	}
	r.eof = n == 0
	if r.eof {
		return 0, ErrEOF
	}
	return n, nil
}

// Read returns up to n bytes: the buffered ones if there are any, else
// what one read(2) gives.
func (r *Reader) Read(t *runtime.Task, n int, timeout time.Duration) ([]byte, error) {
	if len(r.buf) > 0 {
		return r.take(min(n, len(r.buf))), nil
	}
	p := make([]byte, n)
	m, err := r.fill(t, p, timeout)
	if err != nil {
		return nil, err
	}
	return p[:m], nil
}

// ReadAll reads to end of input and returns everything, possibly empty;
// at an end of input already reported it returns ErrEOF.
func (r *Reader) ReadAll(t *runtime.Task, timeout time.Duration) ([]byte, error) {
	out := r.take(len(r.buf))
	wasEOF := r.eof
	chunk := make([]byte, readBufSize)
	for {
		n, err := r.fill(t, chunk, timeout)
		if err == ErrEOF && !wasEOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		wasEOF = false
		out = append(out, chunk[:n]...)
	}
}

// lineEnd finds the first '\n' in p and returns the length of the line
// (without the end of line unless keep) and of what it consumes.
func lineEnd(p []byte, keep bool) (lineLen, consumed int, ok bool) {
	i := bytes.IndexByte(p, '\n')
	if i < 0 {
		return 0, 0, false
	}
	if keep {
		return i + 1, i + 1, true
	}
	if i > 0 && p[i-1] == '\r' {
		return i - 1, i + 1, true
	}
	return i, i + 1, true
}

// ReadLine returns the next line, with its end of line if keep ("L"),
// else without it and without a '\r' before the '\n' ("l"). A line cut by
// end of input is lost and ErrEOF returned, as in lua-eco.
func (r *Reader) ReadLine(t *runtime.Task, keep bool, timeout time.Duration) ([]byte, error) {
	if n, consumed, ok := lineEnd(r.buf, keep); ok {
		out := bytes.Clone(r.buf[:n])
		r.drop(consumed)
		return out, nil
	}
	line := r.take(len(r.buf))
	for {
		chunk := r.buf[:readBufSize]
		n, err := r.fill(t, chunk, timeout)
		if err != nil {
			return nil, err
		}
		i := bytes.IndexByte(chunk[:n], '\n')
		if i < 0 {
			line = append(line, chunk[:n]...)
			continue
		}
		line = append(line, chunk[:i+1]...)
		r.buf = chunk[:n]
		r.drop(i + 1)
		if !keep {
			line = bytes.TrimSuffix(line[:len(line)-1], []byte{'\r'})
		}
		return line, nil
	}
}

// ReadFull returns exactly n bytes, reading until it has them; if input
// ends first, what was read is lost and ErrEOF returned.
func (r *Reader) ReadFull(t *runtime.Task, n int, timeout time.Duration) ([]byte, error) {
	if len(r.buf) >= n {
		return r.take(n), nil
	}
	out := make([]byte, n)
	got := copy(out, r.buf)
	r.buf = r.buf[:0]
	for got < n {
		m, err := r.fill(t, out[got:], timeout)
		if err != nil {
			return nil, err
		}
		got += m
	}
	return out, nil
}

// ReadUntil returns the data before needle and true once needle is found
// (needle is consumed); before that, each call returns the data that
// cannot be the start of needle, and false. At end of input it returns
// what is buffered, or ErrEOF if nothing is.
func (r *Reader) ReadUntil(t *runtime.Task, needle []byte, timeout time.Duration) ([]byte, bool, error) {
	for {
		if out, found, ok := r.untilBuffered(needle); ok {
			return out, found, nil
		}
		n, err := r.fill(t, r.buf[len(r.buf):readBufSize], timeout)
		if err == ErrEOF && len(r.buf) > 0 {
			return r.take(len(r.buf)), false, nil
		}
		if err != nil {
			return nil, false, err
		}
		r.buf = r.buf[:len(r.buf)+n]
	}
}

// untilBuffered is ReadUntil on the buffered bytes alone; ok is false
// when they are too few to return anything.
func (r *Reader) untilBuffered(needle []byte) (out []byte, found, ok bool) {
	if len(r.buf) < len(needle) {
		return nil, false, false
	}
	if i := bytes.Index(r.buf, needle); i >= 0 {
		out = bytes.Clone(r.buf[:i])
		r.drop(i + len(needle))
		return out, true, true
	}
	if len(r.buf) > len(needle) {
		return r.take(len(r.buf) - len(needle) + 1), false, true
	}
	return nil, false, false
}
