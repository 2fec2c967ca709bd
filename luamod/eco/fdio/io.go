package fdio

import (
	"errors"
	"fmt"
	"time"

	"github.com/golua-ws/golua-ws/runtime"
	"golang.org/x/sys/unix"
)

// ReadOnce reads into p with one read(2), waiting up to timeout (per wait)
// while the fd has nothing to read. It returns 0, nil at end of input.
func (h *Handle) ReadOnce(t *runtime.Task, p []byte, timeout time.Duration) (int, error) {
	for {
		n, err := unix.Read(h.fd, p)
		switch {
		case err == nil:
			fair(t)
			return n, nil
		case errors.Is(err, unix.EINTR):
			continue
		case !errors.Is(err, unix.EAGAIN):
			return 0, fmt.Errorf("fdio: read fd %d: %w", h.fd, err)
		}
		if err := h.block(t, Read, timeout, false); err != nil {
			return 0, err
		}
	}
}

// Write writes all of p, waiting up to timeout (per wait) whenever the fd
// would block, and returns len(p). On an error the bytes already written
// are lost to the caller, as with lua-eco's writer:write.
func (h *Handle) Write(t *runtime.Task, p []byte, timeout time.Duration) (int, error) {
	written := 0
	for {
		n, err := unix.Write(h.fd, p[written:])
		switch {
		case err == nil:
			written += n
		case errors.Is(err, unix.EINTR):
			continue
		case !errors.Is(err, unix.EAGAIN):
			return written, fmt.Errorf("fdio: write fd %d: %w", h.fd, err)
		}
		if written == len(p) {
			fair(t)
			return written, nil
		}
		if err := h.block(t, Write, timeout, false); err != nil {
			return written, err
		}
	}
}

// Sendfile sends n bytes of the file at path, from offset, with
// sendfile(2), waiting up to timeout (per wait) whenever the fd would
// block. It returns n, or ErrEOF if the file ends first.
func (h *Handle) Sendfile(t *runtime.Task, path string, offset int64, n int, timeout time.Duration) (int, error) {
	src, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return 0, fmt.Errorf("fdio: sendfile: open %s: %w", path, err)
	}
	defer unix.Close(src)
	sent := 0
	for sent < n {
		m, err := unix.Sendfile(h.fd, src, &offset, n-sent)
		switch {
		case err == nil && m == 0:
			return sent, ErrEOF
		case err == nil:
			sent += m
			continue
		case errors.Is(err, unix.EINTR):
			continue
		case !errors.Is(err, unix.EAGAIN):
			return sent, fmt.Errorf("fdio: sendfile to fd %d: %w", h.fd, err)
		}
		if err := h.block(t, Write, timeout, false); err != nil {
			return sent, err
		}
	}
	fair(t)
	return sent, nil
}
