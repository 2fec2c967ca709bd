// Package takeover holds what both dialects' HTTP servers need once a
// connection has been taken over from net/http (a WebSocket upgrade): stand-ins
// for the request and the response writer that keep none of net/http's
// per-connection state alive.
//
// A handler's con/stream object lives as long as the WebSocket does — often
// hours — and through the original *http.Request and http.ResponseWriter it
// would keep net/http's connection object reachable: its read and write
// buffers, the request body and context. Swapping them for these stand-ins
// after the hijack saves several KiB per open connection.
package takeover

import "net/http"

// Request returns a copy of r with only what the Lua objects may still read
// after a take-over: method, URL, protocol, headers, host, addresses. Its
// body is empty and its context is the background one.
func Request(r *http.Request) *http.Request {
	return &http.Request{
		Method:           r.Method,
		URL:              r.URL,
		Proto:            r.Proto,
		ProtoMajor:       r.ProtoMajor,
		ProtoMinor:       r.ProtoMinor,
		Header:           r.Header,
		Body:             http.NoBody,
		Host:             r.Host,
		RemoteAddr:       r.RemoteAddr,
		RequestURI:       r.RequestURI,
		TLS:              r.TLS,
		TransferEncoding: r.TransferEncoding,
	}
}

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
