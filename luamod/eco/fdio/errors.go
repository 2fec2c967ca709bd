package fdio

import (
	"errors"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// The errors of eco's I/O objects. Their texts are lua-eco's: the bindings
// return ErrTimeout, ErrCanceled and ErrEOF as the err of nil, err, and
// raise the busy errors as Lua errors.
var (
	ErrTimeout   = errors.New("timeout")
	ErrCanceled  = errors.New("canceled")
	ErrEOF       = errors.New("eof")
	ErrBusy      = errors.New("another coroutine is already waiting on this I/O object")
	ErrReadBusy  = errors.New("another coroutine is already waiting for read on this file descriptor")
	ErrWriteBusy = errors.New("another coroutine is already waiting for write on this file descriptor")
)

// Strerror is the text lua-eco returns for err: the C library's strerror
// for an errno (Go's wording starts in lower case), the sentinel's text for
// this package's errors.
func Strerror(err error) string {
	if err == nil {
		return ""
	}
	for _, e := range []error{ErrTimeout, ErrCanceled, ErrEOF} {
		if errors.Is(err, e) {
			return e.Error()
		}
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		msg := errno.Error()
		if msg == "" {
			return msg
		}
		return strings.ToUpper(msg[:1]) + msg[1:]
	}
	return err.Error()
}

// EOFString is lua-eco's word for end of input on fd: "closed" for a
// socket (the peer closed), "eof" for anything else.
func EOFString(fd int) string {
	var st unix.Stat_t
	if unix.Fstat(fd, &st) == nil && st.Mode&unix.S_IFMT == unix.S_IFSOCK {
		return "closed"
	}
	return "eof"
}

// ErrString is Strerror, except that ErrEOF becomes EOFString(fd).
func ErrString(fd int, err error) string {
	if errors.Is(err, ErrEOF) {
		return EOFString(fd)
	}
	return Strerror(err)
}
