package rfc6455

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// websocketGUID is the fixed GUID of RFC 6455 section 1.3.
const websocketGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// AcceptKey computes Sec-WebSocket-Accept for a Sec-WebSocket-Key.
func AcceptKey(key string) string {
	h := sha1.Sum([]byte(key + websocketGUID))
	return base64.StdEncoding.EncodeToString(h[:])
}

// RawConn is one end of a WebSocket connection that reads and writes raw
// frames and checks nothing by itself. It is used from one goroutine at a time.
type RawConn struct {
	nc net.Conn
	br *bufio.Reader
	// Client is true for the end that dialed (and so should mask its frames).
	Client bool
	// Request is the upgrade request (sent by a dialing RawConn, received by
	// a RawServer).
	Request *http.Request
	// Response is the upgrade response (received by a dialing RawConn).
	Response *http.Response
	// Extensions is the Sec-WebSocket-Extensions value of the response.
	Extensions string
}

// NetConn returns the TCP connection.
func (c *RawConn) NetConn() net.Conn { return c.nc }

// Close closes the TCP connection.
func (c *RawConn) Close() error { return c.nc.Close() }

// WriteFrame writes one frame exactly as described, masked with a random key
// when mask is true. Nothing is validated, so invalid frames can be sent.
func (c *RawConn) WriteFrame(fin bool, rsv, op byte, mask bool, payload []byte) error {
	return c.WriteRaw(AppendFrame(nil, fin, rsv, op, mask, payload))
}

// WriteRaw writes bytes as they are.
func (c *RawConn) WriteRaw(b []byte) error {
	if err := c.nc.SetWriteDeadline(time.Now().Add(10 * time.Second)); err != nil {
		return err
	}
	_, err := c.nc.Write(b)
	if err != nil {
		return fmt.Errorf("raw write of %d bytes: %w", len(b), err)
	}
	return nil
}

// WriteChopped writes b in pieces of chop bytes (TCP_NODELAY is on, so each
// piece leaves as its own segment), sleeping delay between pieces.
func (c *RawConn) WriteChopped(b []byte, chop int, delay time.Duration) error {
	if chop <= 0 {
		chop = 1
	}
	for len(b) > 0 {
		n := min(chop, len(b))
		if err := c.WriteRaw(b[:n]); err != nil {
			return err
		}
		b = b[n:]
		if delay > 0 && len(b) > 0 {
			time.Sleep(delay)
		}
	}
	return nil
}

// ReadFrame reads one frame, waiting at most timeout. A timeout error
// satisfies os.IsTimeout; io.EOF means the peer closed TCP cleanly between
// frames.
func (c *RawConn) ReadFrame(timeout time.Duration) (Frame, error) {
	if err := c.nc.SetReadDeadline(time.Now().Add(timeout)); err != nil {
		return Frame{}, err
	}
	return readFrame(c.br)
}

// WaitClosed waits up to timeout for the peer to close the TCP connection
// and fails if any byte arrives first. A reset counts as closed.
func (c *RawConn) WaitClosed(timeout time.Duration) error {
	if err := c.nc.SetReadDeadline(time.Now().Add(timeout)); err != nil {
		return err
	}
	var b [1]byte
	n, err := c.br.Read(b[:])
	switch {
	case n > 0:
		return fmt.Errorf("expected TCP close, got byte 0x%02x", b[0])
	case errors.Is(err, io.EOF), isReset(err):
		return nil
	case err == nil:
		return errors.New("expected TCP close, read returned nothing")
	}
	return fmt.Errorf("expected TCP close within %v: %w", timeout, err)
}

func isReset(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// DialOptions adjusts the handshake DialRaw performs.
type DialOptions struct {
	// Header is added to the upgrade request (e.g. Sec-WebSocket-Extensions).
	Header http.Header
}

// DialRaw connects to a ws:// URL, performs the opening handshake by hand and
// checks the response (101, Upgrade, Connection, Sec-WebSocket-Accept).
func DialRaw(ctx context.Context, rawURL string, opts DialOptions) (*RawConn, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("parse %q: %w", rawURL, err)
	}
	if u.Scheme != "ws" {
		return nil, fmt.Errorf("DialRaw supports ws:// only, got %q", rawURL)
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "80")
	}
	var d net.Dialer
	nc, err := d.DialContext(ctx, "tcp", host)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", host, err)
	}
	c, err := clientHandshake(ctx, nc, u, opts)
	if err != nil {
		nc.Close()
		return nil, err
	}
	return c, nil
}

func clientHandshake(ctx context.Context, nc net.Conn, u *url.URL, opts DialOptions) (*RawConn, error) {
	if dl, ok := ctx.Deadline(); ok {
		nc.SetDeadline(dl)
	} else {
		nc.SetDeadline(time.Now().Add(10 * time.Second))
	}
	defer nc.SetDeadline(time.Time{})
	var nonce [16]byte
	rand.Read(nonce[:])
	key := base64.StdEncoding.EncodeToString(nonce[:])
	path := u.RequestURI()
	req := &http.Request{
		Method: http.MethodGet,
		URL:    &url.URL{Path: u.Path, RawQuery: u.RawQuery},
		Host:   u.Host,
		Header: http.Header{},
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n", path, u.Host)
	fmt.Fprintf(&sb, "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n", key)
	req.Header.Set("Sec-WebSocket-Key", key)
	for k, vs := range opts.Header {
		for _, v := range vs {
			fmt.Fprintf(&sb, "%s: %s\r\n", k, v)
			req.Header.Add(k, v)
		}
	}
	sb.WriteString("\r\n")
	if _, err := io.WriteString(nc, sb.String()); err != nil {
		return nil, fmt.Errorf("write upgrade request: %w", err)
	}
	br := bufio.NewReaderSize(nc, 64<<10)
	resp, err := http.ReadResponse(br, req)
	if err != nil {
		return nil, fmt.Errorf("read upgrade response: %w", err)
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return nil, fmt.Errorf("upgrade refused: %s %q", resp.Status, body)
	}
	if !strings.EqualFold(resp.Header.Get("Upgrade"), "websocket") {
		return nil, fmt.Errorf("response Upgrade header %q, want websocket", resp.Header.Get("Upgrade"))
	}
	if !headerHasToken(resp.Header, "Connection", "upgrade") {
		return nil, fmt.Errorf("response Connection header %q lacks upgrade", resp.Header.Get("Connection"))
	}
	if got, want := resp.Header.Get("Sec-WebSocket-Accept"), AcceptKey(key); got != want {
		return nil, fmt.Errorf("Sec-WebSocket-Accept %q, want %q", got, want)
	}
	return &RawConn{
		nc: nc, br: br, Client: true, Request: req, Response: resp,
		Extensions: strings.Join(resp.Header.Values("Sec-WebSocket-Extensions"), ", "),
	}, nil
}

func headerHasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// RawServer is a listener on 127.0.0.1 that accepts WebSocket upgrades by
// hand, for testing clients.
type RawServer struct {
	ln net.Listener
}

// NewRawServer listens on a free port of 127.0.0.1.
func NewRawServer() (*RawServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	return &RawServer{ln: ln}, nil
}

// URL returns ws://127.0.0.1:port plus path.
func (s *RawServer) URL(path string) string {
	return "ws://" + s.ln.Addr().String() + path
}

// Close stops listening.
func (s *RawServer) Close() error { return s.ln.Close() }

// AcceptOptions adjusts the handshake RawServer.Accept performs.
type AcceptOptions struct {
	// Extensions, if set, is given the request's Sec-WebSocket-Extensions
	// (all values joined with ", ") and returns the value of the response
	// header ("" to send none) or an error to refuse the upgrade with 400.
	Extensions func(offer string) (string, error)
}

// Accept waits for one connection (until ctx ends), reads the upgrade
// request, checks it against RFC 6455 section 4.2.1 and answers 101.
func (s *RawServer) Accept(ctx context.Context, opts AcceptOptions) (*RawConn, error) {
	type result struct {
		nc  net.Conn
		err error
	}
	ch := make(chan result, 1)
	go func() {
		nc, err := s.ln.Accept()
		ch <- result{nc, err}
	}()
	var nc net.Conn
	select {
	case r := <-ch:
		if r.err != nil {
			return nil, fmt.Errorf("accept: %w", r.err)
		}
		nc = r.nc
	case <-ctx.Done():
		s.ln.Close() // unblocks the Accept goroutine; this server is single-use per case
		if r := <-ch; r.nc != nil {
			r.nc.Close()
		}
		return nil, fmt.Errorf("no client connected: %w", ctx.Err())
	}
	c, err := serverHandshake(nc, opts)
	if err != nil {
		nc.Close()
		return nil, err
	}
	return c, nil
}

func serverHandshake(nc net.Conn, opts AcceptOptions) (*RawConn, error) {
	nc.SetDeadline(time.Now().Add(10 * time.Second))
	defer nc.SetDeadline(time.Time{})
	br := bufio.NewReaderSize(nc, 64<<10)
	req, err := http.ReadRequest(br)
	if err != nil {
		return nil, fmt.Errorf("read upgrade request: %w", err)
	}
	fail := func(format string, args ...any) (*RawConn, error) {
		msg := fmt.Sprintf(format, args...)
		fmt.Fprintf(nc, "HTTP/1.1 400 Bad Request\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", len(msg), msg)
		return nil, fmt.Errorf("client handshake: %s", msg)
	}
	if req.Method != http.MethodGet {
		return fail("method %s, want GET", req.Method)
	}
	if req.ProtoMajor != 1 || req.ProtoMinor < 1 {
		return fail("protocol %s, want HTTP/1.1 or later", req.Proto)
	}
	if req.Host == "" {
		return fail("missing Host header")
	}
	if !headerHasToken(req.Header, "Upgrade", "websocket") {
		return fail("Upgrade header %q lacks websocket", req.Header.Get("Upgrade"))
	}
	if !headerHasToken(req.Header, "Connection", "upgrade") {
		return fail("Connection header %q lacks upgrade", req.Header.Get("Connection"))
	}
	if v := req.Header.Get("Sec-WebSocket-Version"); v != "13" {
		return fail("Sec-WebSocket-Version %q, want 13", v)
	}
	key := req.Header.Get("Sec-WebSocket-Key")
	if k, err := base64.StdEncoding.DecodeString(key); err != nil || len(k) != 16 {
		return fail("Sec-WebSocket-Key %q is not 16 base64-encoded bytes", key)
	}
	ext := ""
	if opts.Extensions != nil {
		ext, err = opts.Extensions(strings.Join(req.Header.Values("Sec-WebSocket-Extensions"), ", "))
		if err != nil {
			return fail("extension negotiation: %v", err)
		}
	}
	var sb strings.Builder
	sb.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
	fmt.Fprintf(&sb, "Sec-WebSocket-Accept: %s\r\n", AcceptKey(key))
	if ext != "" {
		fmt.Fprintf(&sb, "Sec-WebSocket-Extensions: %s\r\n", ext)
	}
	sb.WriteString("\r\n")
	if _, err := io.WriteString(nc, sb.String()); err != nil {
		return nil, fmt.Errorf("write 101 response: %w", err)
	}
	return &RawConn{nc: nc, br: br, Client: false, Request: req, Extensions: ext}, nil
}
