package http

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"sync"
	"time"
)

// A WebSocket handshake served by net/http leaves about 10 KiB of garbage
// per connection: net/http's 4 KiB read and write buffers (which go with a
// hijacked connection instead of back to net/http's pools), its connection
// and response objects. That garbage, made at every handshake, lets the
// heap (and the RSS) overshoot the live data of the idle connections by a
// third. So a plain-TCP Server with Config.FrontDoor reads the head of each new
// connection's first request itself, with a pooled buffer: a GET asking
// for an Upgrade is served right here (one request, then the connection is
// taken over or closed, as lua-eco closes it after a request with
// "Connection: upgrade"); every other connection is handed to net/http
// with the bytes already read put back in front, and net/http serves it
// exactly as before.

// frontDoor accepts the connections of one plain-TCP Server.
type frontDoor struct {
	srv     *Server
	ln      net.Listener
	pass    *passListener
	readers sync.Pool // *bufio.Reader, readBufferSize

	// The connections the front door has not handed on yet (to net/http
	// or to a WebSocket), for Shutdown and Close: true while a request
	// is being served, false while its head is being read.
	mu       sync.Mutex
	conns    map[net.Conn]bool
	draining bool
}

// readBufferSize bounds a head served directly; a longer one goes to
// net/http, which allows more.
const readBufferSize = 4096

func newFrontDoor(srv *Server, ln net.Listener) *frontDoor {
	d := &frontDoor{srv: srv, ln: ln, pass: newPassListener(ln.Addr()), conns: make(map[net.Conn]bool)}
	d.readers.New = func() any { return bufio.NewReaderSize(nil, readBufferSize) }
	return d
}

// serve accepts connections until the listener fails; hs serves those
// handed to net/http. It returns the accept error.
func (d *frontDoor) serve(hs *http.Server) error {
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = hs.Serve(d.pass)
	}()
	defer func() {
		_ = d.pass.Close()
		<-served
	}()
	var delay time.Duration
	for {
		nc, err := d.ln.Accept()
		if err != nil {
			// Like net/http: back off on a temporary error (too many
			// open files, for one) rather than stop serving.
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() || isTemporary(err) {
				delay = min(max(2*delay, 5*time.Millisecond), time.Second)
				time.Sleep(delay)
				continue
			}
			return err
		}
		delay = 0
		if !d.track(nc, false) {
			_ = nc.Close()
			continue
		}
		go d.route(nc)
	}
}

// track records nc's state; it reports false once the server is draining
// (a connection accepted as the listener closed is not served).
func (d *frontDoor) track(nc net.Conn, serving bool) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.draining {
		return false
	}
	d.conns[nc] = serving
	return true
}

// forget drops nc from the front door's care: it was handed on or closed.
func (d *frontDoor) forget(nc net.Conn) {
	d.mu.Lock()
	delete(d.conns, nc)
	d.mu.Unlock()
}

// drain starts a graceful shutdown: no connection is tracked any more,
// and those still sending their first request head are dropped (nothing
// was asked of the server yet); requests being served go on.
func (d *frontDoor) drain() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.draining = true
	for nc, serving := range d.conns {
		if !serving {
			_ = nc.SetReadDeadline(time.Now())
		}
	}
}

// wait returns once no connection is left in the front door's care, or
// with ctx's error when ctx ends first.
func (d *frontDoor) wait(ctx context.Context) error {
	// Polled, as net/http's Shutdown polls its connections: requests end
	// rarely enough during a shutdown that a signal per request would
	// cost every request for nothing.
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		d.mu.Lock()
		n := len(d.conns)
		d.mu.Unlock()
		if n == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// closeAll closes every connection still in the front door's care.
func (d *frontDoor) closeAll() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.draining = true
	for nc := range d.conns {
		_ = nc.Close()
	}
	clear(d.conns)
}

// isTemporary reports the accept errors net/http retries.
func isTemporary(err error) bool {
	var te interface{ Temporary() bool }
	return errors.As(err, &te) && te.Temporary()
}

// route reads the first request head of nc and serves an upgrade request
// directly; anything else goes to net/http.
func (d *frontDoor) route(nc net.Conn) {
	br := d.readers.Get().(*bufio.Reader)
	br.Reset(nc)
	defer func() {
		br.Reset(nil)
		d.readers.Put(br)
	}()
	if t := d.srv.cfg.ReadHeaderTimeout; t > 0 {
		_ = nc.SetReadDeadline(time.Now().Add(t))
	}
	head, err := peekHead(br)
	if err != nil {
		d.forget(nc)
		_ = nc.Close()
		return
	}
	// Everything read so far. The head is complete in the buffer, so
	// parsing it below reads nothing more and leaves these bytes in place.
	received, _ := br.Peek(br.Buffered())
	if head == nil || !isUpgradeGet(head) {
		d.handOver(nc, received)
		return
	}
	req, err := http.ReadRequest(br)
	if err != nil || req.ContentLength != 0 || len(req.TransferEncoding) > 0 ||
		req.Host == "" || len(req.Header["Host"]) > 1 || req.Header.Get("Expect") != "" {
		// Unusual requests get net/http's answers (400, 417, body
		// handling): it parses the head again.
		d.handOver(nc, received)
		return
	}
	if !d.track(nc, true) {
		// The shutdown began while the head was read.
		d.forget(nc)
		_ = nc.Close()
		return
	}
	_ = nc.SetReadDeadline(time.Time{})
	req.RemoteAddr = nc.RemoteAddr().String()
	if cc := d.srv.cfg.ConnContext; cc != nil {
		req = req.WithContext(cc(req.Context(), nc))
	}
	d.serveDirect(nc, br, req)
}

// handOver gives nc to net/http, with the bytes read from it so far.
func (d *frontDoor) handOver(nc net.Conn, received []byte) {
	d.forget(nc)
	prefix := append([]byte(nil), received...)
	_ = nc.SetReadDeadline(time.Time{})
	d.pass.push(&prefixConn{Conn: nc, prefix: prefix})
}

// peekHead returns the request head (up to and including the blank line)
// from br's buffer without consuming it, reading as needed. It returns nil
// and no error as soon as the bytes are not a GET, and when the head does
// not fit in the buffer.
func peekHead(br *bufio.Reader) ([]byte, error) {
	for n := 1; ; n = br.Buffered() + 1 {
		if _, err := br.Peek(n); err != nil {
			return nil, err
		}
		b, _ := br.Peek(br.Buffered())
		if get := "GET "; !bytes.HasPrefix(b, []byte(get[:min(len(b), len(get))])) {
			// Not a GET (nor HTTP at all: a TLS hello, say): net/http
			// answers it now rather than the front door waiting for a
			// head that may never come.
			return nil, nil
		}
		if i := bytes.Index(b, []byte("\r\n\r\n")); i >= 0 {
			return b[:i+4], nil
		}
		if bytes.Contains(b, []byte("\n\n")) || br.Buffered() == br.Size() {
			return nil, nil // bare line feeds or a long head: net/http's to judge
		}
	}
}

// isUpgradeGet reports whether head is an HTTP/1.1 GET with an Upgrade
// header, the only requests served directly.
func isUpgradeGet(head []byte) bool {
	line, rest, _ := bytes.Cut(head, []byte("\r\n"))
	if !bytes.HasPrefix(line, []byte("GET ")) || !bytes.HasSuffix(line, []byte(" HTTP/1.1")) {
		return false
	}
	for len(rest) > 0 {
		line, rest, _ = bytes.Cut(rest, []byte("\r\n"))
		name, _, ok := bytes.Cut(line, []byte(":"))
		if ok && bytes.EqualFold(name, []byte("Upgrade")) {
			return true
		}
	}
	return false
}

// serveDirect runs the handler for req on nc and closes nc afterwards
// unless the handler took it over.
func (d *frontDoor) serveDirect(nc net.Conn, br *bufio.Reader, req *http.Request) {
	w := &directWriter{door: d, nc: nc, br: br, header: make(http.Header)}
	defer func() {
		// The handler aborts (http.ErrAbortHandler) to drop a connection,
		// as a net/http handler does; serveHTTP reported any other panic
		// of the handler's, and one of the front door's own is reported
		// here.
		if v := recover(); v != nil && v != http.ErrAbortHandler {
			d.srv.reportPanic(req.RemoteAddr, v, debug.Stack())
		}
		if !w.hijacked {
			d.forget(nc)
			_ = nc.Close()
		}
	}()
	d.srv.serveHTTP(w, req)
	if !w.hijacked {
		_ = w.finish()
	}
}

// directWriter is the http.ResponseWriter of a request served directly.
// It writes what net/http would for the handler's one response, with
// "Connection: close", and supports the ResponseController calls the con
// methods make (Flush, Hijack, read and write deadlines).
type directWriter struct {
	door     *frontDoor
	nc       net.Conn
	br       *bufio.Reader
	header   http.Header
	code     int
	headOut  bool // the status line and header were written
	chunked  bool
	bodyless bool // 1xx, 204, 304: no body
	hijacked bool
	out      []byte // pending bytes, written at Flush or the end
}

func (w *directWriter) Header() http.Header { return w.header }

func (w *directWriter) WriteHeader(code int) {
	if w.code != 0 || w.hijacked {
		return
	}
	w.code = code
}

func (w *directWriter) Write(p []byte) (int, error) {
	if w.hijacked {
		return 0, http.ErrHijacked
	}
	if w.code == 0 {
		w.code = http.StatusOK
	}
	if !w.headOut {
		w.writeHead(p)
	}
	if w.bodyless || len(p) == 0 {
		return len(p), nil
	}
	if w.chunked {
		w.out = strconv.AppendInt(w.out, int64(len(p)), 16)
		w.out = append(w.out, "\r\n"...)
		w.out = append(w.out, p...)
		w.out = append(w.out, "\r\n"...)
	} else {
		w.out = append(w.out, p...)
	}
	if len(w.out) >= maxPending {
		if err := w.FlushError(); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// maxPending bounds the bytes a directWriter holds before writing them.
const maxPending = 32 << 10

// writeHead appends the status line and header to w.out. first is the
// start of the body, for the Content-Type net/http would sniff.
func (w *directWriter) writeHead(first []byte) {
	w.headOut = true
	code := w.code
	h := w.header
	w.bodyless = code/100 == 1 || code == http.StatusNoContent || code == http.StatusNotModified
	switch {
	case w.bodyless:
		h.Del("Transfer-Encoding")
	case h.Get("Transfer-Encoding") == "chunked":
		w.chunked = true
	case h.Get("Content-Length") == "" && h.Get("Transfer-Encoding") == "":
		// No framing: the body ends when the connection closes.
	}
	if !w.bodyless && h.Get("Content-Type") == "" && len(first) > 0 && h.Get("Content-Encoding") == "" {
		h.Set("Content-Type", http.DetectContentType(first))
	}
	if h.Get("Date") == "" {
		h.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	}
	h.Set("Connection", "close")
	text := http.StatusText(code)
	if text == "" {
		text = "status code " + strconv.Itoa(code)
	}
	w.out = append(w.out, "HTTP/1.1 "...)
	w.out = strconv.AppendInt(w.out, int64(code), 10)
	w.out = append(w.out, ' ')
	w.out = append(w.out, text...)
	w.out = append(w.out, "\r\n"...)
	var b bytes.Buffer
	_ = h.Write(&b)
	w.out = append(w.out, b.Bytes()...)
	w.out = append(w.out, "\r\n"...)
}

// FlushError writes the head (if need be) and the pending bytes.
func (w *directWriter) FlushError() error {
	if w.hijacked {
		return http.ErrHijacked
	}
	if !w.headOut {
		if w.code == 0 {
			w.code = http.StatusOK
		}
		w.writeHead(nil)
	}
	if len(w.out) == 0 {
		return nil
	}
	_, err := w.nc.Write(w.out)
	w.out = w.out[:0]
	return err
}

// Flush is http.Flusher's form of FlushError.
func (w *directWriter) Flush() { _ = w.FlushError() }

// finish ends the response after the handler.
func (w *directWriter) finish() error {
	if !w.headOut {
		if w.code == 0 {
			w.code = http.StatusOK
		}
		w.writeHead(nil)
	}
	if w.chunked {
		w.out = append(w.out, "0\r\n\r\n"...)
	}
	return w.FlushError()
}

// Hijack hands the connection over. The reader holds what the client sent
// past the request head, in a buffer of its own: the front door's reader
// goes back to its pool, and a hijacker may let go of (or clear, as
// wscore.Accept does) the buffers it was given.
func (w *directWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if w.hijacked {
		return nil, nil, http.ErrHijacked
	}
	w.hijacked = true
	w.door.forget(w.nc)
	const minBuf = 16 // bufio's smallest buffer
	var r *bufio.Reader
	if n := w.br.Buffered(); n > 0 {
		rest, _ := w.br.Peek(n)
		r = bufio.NewReaderSize(io.MultiReader(bytes.NewReader(bytes.Clone(rest)), w.nc), max(n, minBuf))
		_, _ = r.Peek(n) // the copied bytes only: the MultiReader yields them first
	} else {
		r = bufio.NewReaderSize(w.nc, minBuf)
	}
	return w.nc, bufio.NewReadWriter(r, bufio.NewWriterSize(w.nc, minBuf)), nil
}

func (w *directWriter) SetReadDeadline(t time.Time) error  { return w.nc.SetReadDeadline(t) }
func (w *directWriter) SetWriteDeadline(t time.Time) error { return w.nc.SetWriteDeadline(t) }

// passListener is the net.Listener net/http serves: it yields the
// connections the front door hands over.
type passListener struct {
	addr  net.Addr
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func newPassListener(addr net.Addr) *passListener {
	return &passListener{addr: addr, conns: make(chan net.Conn), done: make(chan struct{})}
}

func (p *passListener) push(c net.Conn) {
	select {
	case p.conns <- c:
	case <-p.done:
		_ = c.Close()
	}
}

func (p *passListener) Accept() (net.Conn, error) {
	select {
	case c := <-p.conns:
		return c, nil
	case <-p.done:
		return nil, net.ErrClosed
	}
}

func (p *passListener) Close() error {
	p.once.Do(func() { close(p.done) })
	return nil
}

func (p *passListener) Addr() net.Addr { return p.addr }

// prefixConn is a connection whose first bytes were already read: Read
// returns them first.
type prefixConn struct {
	net.Conn
	prefix []byte
}

func (c *prefixConn) Read(p []byte) (int, error) {
	if len(c.prefix) > 0 {
		n := copy(p, c.prefix)
		c.prefix = c.prefix[n:]
		if len(c.prefix) == 0 {
			c.prefix = nil
		}
		return n, nil
	}
	return c.Conn.Read(p)
}

// CloseWrite and ReadFrom pass through to the connection, so that net/http
// keeps its half-close before closing (which avoids a reset losing the
// last response) and sendfile for files, as with a plain *net.TCPConn.
func (c *prefixConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

func (c *prefixConn) ReadFrom(r io.Reader) (int64, error) {
	if rf, ok := c.Conn.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(struct{ io.Writer }{c.Conn}, r)
}
