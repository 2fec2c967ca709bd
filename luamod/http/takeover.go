package http

import "net/http"

// A handler's stream object lives as long as the WebSocket does — often
// hours — and through the original http.ResponseWriter it would keep
// net/http's connection object reachable: its read and write buffers, the
// request body and context. Swapping it for TakenOverWriter after the
// hijack saves several KiB per open connection.

// TakenOverWriter stands in for the http.ResponseWriter after a take-over:
// the connection belongs to the WebSocket, so HTTP output fails with
// http.ErrHijacked and flushing is not supported.
type TakenOverWriter struct{ header http.Header }

// NewTakenOverWriter returns a TakenOverWriter with an empty header map.
func NewTakenOverWriter() *TakenOverWriter { return &TakenOverWriter{header: http.Header{}} }

// Header returns a header map that nothing will send.
func (w *TakenOverWriter) Header() http.Header { return w.header }

// Write fails: the connection has been taken over.
func (*TakenOverWriter) Write([]byte) (int, error) { return 0, http.ErrHijacked }

// WriteHeader does nothing: the connection has been taken over.
func (*TakenOverWriter) WriteHeader(int) {}
