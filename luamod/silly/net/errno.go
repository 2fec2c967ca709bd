package sillynet

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
)

// silly's error values are strings "<text> (<code>)" that scripts compare
// with ==, so they must match silly byte for byte (src/errnoex.h and
// worker.c in silly; strerror text for system codes).
const (
	ErrResolve  = "Address resolution failed (10000)"
	ErrNoSocket = "No free socket available (10001)"
	ErrClosing  = "Socket is closing (10002)"
	ErrClosed   = "Socket is closed (10003)"
	ErrEOF      = "End of file (10004)"
	ErrTLS      = "TLS error (10005)"
	ErrTimedOut = "Operation timed out (110)"
	ErrInval    = "Invalid argument (22)"
)

// ErrString converts a Go network error into the errno string silly would
// report for it.
func ErrString(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return ErrEOF
	case errors.Is(err, net.ErrClosed), errors.Is(err, errLocalClose):
		return ErrClosed
	case errors.Is(err, os.ErrDeadlineExceeded), errors.Is(err, context.DeadlineExceeded):
		return ErrTimedOut
	case isTLSError(err):
		return ErrTLS
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return ErrResolve
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return Errno(errno)
	}
	return err.Error()
}

// Errno formats a system error number as silly does: strerror text and code.
func Errno(e syscall.Errno) string {
	s := e.Error()
	if s != "" {
		s = strings.ToUpper(s[:1]) + s[1:]
	}
	return s + " (" + itoa(int(e)) + ")"
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// isTLSError reports whether err came from a TLS handshake or record layer
// (silly reports all of those as errno TLS and only logs the detail). The
// types crypto/tls exports are tested first; its local alerts ("local
// error: tls: bad record MAC") and many handshake errors are unexported
// types or plain errors.New values, which only their "tls: " text names.
func isTLSError(err error) bool {
	var recErr tls.RecordHeaderError
	var alert tls.AlertError
	var certErr *tls.CertificateVerificationError
	if errors.As(err, &recErr) || errors.As(err, &alert) || errors.As(err, &certErr) {
		return true
	}
	return strings.HasPrefix(err.Error(), "tls: ") || strings.Contains(err.Error(), "remote error: tls")
}

// errLocalClose marks reads and writes cut short by conn:close().
var errLocalClose = errors.New("socket closed locally")
