package sillynet

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/golua-ws/golua-ws/runtime"
)

// LogHeader is the start of a silly log line: local time, the trace id in
// 16 hex digits and the level letter (D, I, W or E), each followed by a
// space. silly.logger and the runtime's own error lines share it.
func LogHeader(letter byte, trace uint64) string {
	return fmt.Sprintf("%s %016x %c ", time.Now().Format("2006-01-02 15:04:05"), trace, letter)
}

// LogTLSFailure logs why a TLS client handshake with peer failed. As in
// silly, the script gets only errno TLS ("TLS error (10005)", which it can
// compare with errno.TLS) and the cause goes to the log as an ERROR line
// tagged [tls]: for a certificate that does not verify, Go's x509 reason
// ("certificate signed by unknown authority", a name mismatch, expiry).
// The line goes to the runtime's stderr, where golua-ws reports errors the
// script did not raise itself.
func LogTLSFailure(rt *runtime.Runtime, peer string, err error) {
	line := LogHeader('E', 0) + "[tls] connect " + peer + " error: " + err.Error()
	rt.Report(nil, slog.LevelError, line, "[tls] connect error", slog.String("peer", peer), slog.String("error", err.Error()))
}
