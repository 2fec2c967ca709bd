package sillyhttp

import (
	"io"
	"log"
)

// discardLog silences net/http's own error log (TLS handshake noise from
// probing clients); request errors reach scripts through their streams.
func discardLog() *log.Logger { return log.New(io.Discard, "", 0) }
