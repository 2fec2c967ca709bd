package sillyhttp

import (
	"context"
	"errors"
	"io"
	"net/http"
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
	buf         []byte
	eof         bool   // the body has been read to its end
	err         string // sticky error (silly's stream.err)
}

func (b *bodyReader) more(t *runtime.Task, timeout time.Duration) string {
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
	} else {
		b.err = bodyErr(err)
	}
	if n > 0 {
		return ""
	}
	return b.err
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
	for !b.eof {
		if e := b.more(t, timeout); e != "" && e != sillynet.ErrEOF {
			return "", e
		}
	}
	s := string(b.buf)
	b.buf = nil
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
