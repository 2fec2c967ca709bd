// Package takeover holds what the HTTP servers need once a connection has
// been taken over from net/http (a WebSocket upgrade): a stand-in for the
// response writer that keeps none of net/http's per-connection state alive.
//
// A handler's stream object lives as long as the WebSocket does — often
// hours — and through the original http.ResponseWriter it would keep
// net/http's connection object reachable: its read and write buffers, the
// request body and context. Swapping it for this stand-in after the hijack
// saves several KiB per open connection.
package takeover

import "net/http"

// Writer stands in for the http.ResponseWriter after a take-over: the
// connection belongs to the WebSocket, so HTTP output fails with
// http.ErrHijacked and flushing is not supported.
type Writer struct{ header http.Header }

// NewWriter returns a Writer with an empty header map.
func NewWriter() *Writer { return &Writer{header: http.Header{}} }

// Header returns a header map that nothing will send.
func (w *Writer) Header() http.Header { return w.header }

// Write fails: the connection has been taken over.
func (*Writer) Write([]byte) (int, error) { return 0, http.ErrHijacked }

// WriteHeader does nothing: the connection has been taken over.
func (*Writer) WriteHeader(int) {}
