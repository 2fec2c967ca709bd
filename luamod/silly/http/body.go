package sillyhttp

import (
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"os"
	"strings"
	"time"

	sillynet "github.com/golua-ws/golua-ws/luamod/silly/net"
	"github.com/golua-ws/golua-ws/runtime"
)

// bodyReader gives an HTTP body silly's read(n)/readall() semantics: read(n)
// returns exactly n bytes or nil, EOF with the bytes kept for the next call;
// a timeout is cached and returned by every later read.
type bodyReader struct {
	body        io.Reader
	setDeadline func(time.Time) error // may be nil
	// abort ends the body's transfer; with no setDeadline, a read with a
	// timeout runs beside the task and abort stops it when time is up
	// (silly's timeout breaks the stream for good, so nothing is lost).
	abort func()
	// sized: the length was announced (Content-Length, or no body at
	// all), so silly's reader sees the end with the last byte.
	sized     bool
	buf       []byte
	eof       bool   // the body has been read to its end
	err       string // sticky error (silly's stream.err)
	consumed  int64  // bytes returned to the script
	requested int64  // the furthest byte a read has asked for
}

// atEOF is silly's stream.eof. silly reads from the connection only what a
// call asks for, so its eof turns true when a read reaches the body's last
// byte (sized bodies) or asks past it (chunked and close-delimited bodies,
// whose end is a marker read after the last byte), however much Go has
// already buffered.
func (b *bodyReader) atEOF() bool {
	if b == nil || b.body == nil {
		return true
	}
	if !b.eof {
		return false
	}
	total := b.consumed + int64(len(b.buf))
	if b.sized {
		return b.requested >= total
	}
	return b.requested > total
}

func (b *bodyReader) more(t *runtime.Task, timeout time.Duration) string {
	if b.err != "" {
		return b.err
	}
	if b.body == nil {
		b.eof = true
		return sillynet.ErrEOF
	}
	var chunk [16 << 10]byte
	var n int
	err := t.Block(func(ctx context.Context) error {
		if b.setDeadline != nil {
			var dl time.Time
			if timeout > 0 {
				dl = time.Now().Add(timeout)
			}
			_ = b.setDeadline(dl)
		} else if timeout > 0 && b.abort != nil {
			return b.readAborting(chunk[:], &n, timeout)
		}
		var err error
		n, err = b.body.Read(chunk[:])
		return err
	})
	b.buf = append(b.buf, chunk[:n]...)
	switch {
	case err == nil:
		return ""
	case errors.Is(err, io.EOF):
		b.eof = true
		if n > 0 {
			return ""
		}
		return sillynet.ErrEOF
	}
	if isTimeout(err) {
		b.err = sillynet.ErrTimedOut
	} else if errors.Is(err, io.ErrUnexpectedEOF) && !b.sized {
		// silly's chunk reader meets the end of the connection: EOF.
		b.err = sillynet.ErrEOF
	} else {
		b.err = bodyErr(err)
	}
	if n > 0 {
		return ""
	}
	return b.err
}

// readAborting reads into p with a time limit on a body that has no
// deadline: the read runs in its own goroutine, and when the time is up the
// transfer is aborted, which ends that read, and the result is a timeout.
func (b *bodyReader) readAborting(p []byte, n *int, timeout time.Duration) error {
	type result struct {
		n   int
		err error
	}
	done := make(chan result, 1)
	go func() {
		n, err := b.body.Read(p)
		done <- result{n, err}
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case r := <-done:
		*n = r.n
		return r.err
	case <-timer.C:
		b.abort()
		<-done // p is ours again once the aborted read has returned
		return os.ErrDeadlineExceeded
	}
}

// takenOverBody replaces a request body once the connection has been
// taken over: net/http's body reads from the connection's buffer, which now
// belongs to the WebSocket.
type takenOverBody struct{}

func (takenOverBody) Read([]byte) (int, error) { return 0, http.ErrHijacked }

// readN implements read(n, timeout). A nil reader is a request without a
// body.
func (b *bodyReader) readN(t *runtime.Task, n int, timeout time.Duration) (string, string) {
	if b == nil {
		return "", sillynet.ErrEOF
	}
	if b.err != "" {
		return "", b.err
	}
	b.requested = max(b.requested, b.consumed+int64(n))
	for len(b.buf) < n {
		if b.eof {
			return "", sillynet.ErrEOF
		}
		if e := b.more(t, timeout); e != "" {
			return "", e
		}
	}
	s := string(b.buf[:n])
	b.buf = b.buf[n:]
	b.consumed += int64(n)
	return s, ""
}

// readAll implements readall(timeout). A nil reader is a request without
// a body.
func (b *bodyReader) readAll(t *runtime.Task, timeout time.Duration) (string, string) {
	if b == nil {
		return "", ""
	}
	if b.err != "" {
		// silly's testhttp Test 26: after a timeout both read and readall
		// return the cached error.
		return "", b.err
	}
	b.requested = math.MaxInt64
	for !b.eof {
		if e := b.more(t, timeout); e != "" && (e != sillynet.ErrEOF || b.err != "") {
			// A clean end is ErrEOF with eof set; a broken body (even one
			// reported as EOF) leaves its error in b.err.
			return "", e
		}
	}
	s := string(b.buf)
	b.buf = nil
	b.consumed += int64(len(s))
	return s, ""
}

// bodyErr names body errors as silly's h1 does.
func bodyErr(err error) string {
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "Body broken"
	case strings.Contains(err.Error(), "chunk"):
		return "invalid chunk size"
	}
	return sillynet.ErrString(err)
}

func isTimeout(err error) bool {
	var te interface{ Timeout() bool }
	return errors.As(err, &te) && te.Timeout()
}
