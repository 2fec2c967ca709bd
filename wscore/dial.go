package wscore

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DialOptions configures the client side of the opening handshake.
type DialOptions struct {
	// Header holds extra request headers (e.g. Authorization, Cookie).
	Header http.Header
	// Subprotocols are offered in Sec-WebSocket-Protocol.
	Subprotocols []string
	// Origin, if set, is sent as the Origin header.
	Origin string
	// TLSConfig is used for wss:// (cloned; ServerName defaults to the
	// host). Set InsecureSkipVerify there to skip certificate checks.
	TLSConfig *tls.Config
	// NetDialer dials the TCP connection (default: a net.Dialer).
	NetDialer func(ctx context.Context, network, addr string) (net.Conn, error)
	// Compression offers permessage-deflate.
	Compression *CompressionOptions
	// Conn configures the resulting connection.
	Conn Options
}

// Dial opens a WebSocket connection to a ws:// or wss:// URL (default ports
// 80 and 443). ctx bounds the TCP connect, TLS and opening handshakes; it
// does not affect the connection after Dial returns. The returned response
// is the server's handshake response (also on a rejected handshake, when
// one was received) with a nil Body.
func Dial(ctx context.Context, rawURL string, opts *DialOptions) (*Conn, *http.Response, error) {
	if opts == nil {
		opts = &DialOptions{}
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, nil, fmt.Errorf("wscore: dial: %w", err)
	}
	var secure bool
	switch strings.ToLower(u.Scheme) {
	case "ws", "http":
	case "wss", "https":
		secure = true
	default:
		return nil, nil, fmt.Errorf("wscore: dial %s: unsupported scheme %q", rawURL, u.Scheme)
	}
	host := u.Hostname()
	port := u.Port()
	if port == "" {
		port = "80"
		if secure {
			port = "443"
		}
	}
	addr := net.JoinHostPort(host, port)
	dial := opts.NetDialer
	if dial == nil {
		var d net.Dialer
		dial = d.DialContext
	}
	nc, err := dial(ctx, "tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("wscore: dial %s: %w", addr, err)
	}
	if secure {
		cfg := &tls.Config{}
		if opts.TLSConfig != nil {
			cfg = opts.TLSConfig.Clone()
		}
		if cfg.ServerName == "" {
			cfg.ServerName = host
		}
		tc := tls.Client(nc, cfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			nc.Close()
			return nil, nil, fmt.Errorf("wscore: dial %s: %w: %w", addr, ErrTLSHandshake, err)
		}
		nc = tc
	}
	c, resp, err := DialConn(ctx, nc, u, opts)
	if err != nil {
		nc.Close()
		return nil, resp, err
	}
	return c, resp, nil
}

// DialConn performs the client handshake over an established connection
// (TCP, TLS or a test pipe) for the URL u. On failure the caller closes nc.
func DialConn(ctx context.Context, nc net.Conn, u *url.URL, opts *DialOptions) (*Conn, *http.Response, error) {
	if opts == nil {
		opts = &DialOptions{}
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = nc.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { _ = nc.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	key := NewKey()

	path := u.RequestURI()
	if u.Opaque != "" || path == "" {
		path = "/"
		if u.RawQuery != "" {
			path += "?" + u.RawQuery
		}
	}
	var b strings.Builder
	b.WriteString("GET " + path + " HTTP/1.1\r\nHost: " + u.Host + "\r\n")
	b.WriteString("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n")
	b.WriteString("Sec-WebSocket-Key: " + key + "\r\n")
	if opts.Origin != "" {
		b.WriteString("Origin: " + opts.Origin + "\r\n")
	}
	if len(opts.Subprotocols) > 0 {
		b.WriteString("Sec-WebSocket-Protocol: " + strings.Join(opts.Subprotocols, ", ") + "\r\n")
	}
	if opts.Compression != nil {
		b.WriteString("Sec-WebSocket-Extensions: " + DeflateOffer(opts.Compression) + "\r\n")
	}
	for k, vs := range opts.Header {
		switch http.CanonicalHeaderKey(k) {
		case "Host", "Upgrade", "Connection", "Sec-Websocket-Key", "Sec-Websocket-Version", "Sec-Websocket-Extensions":
			continue
		}
		for _, v := range vs {
			if strings.ContainsAny(k+v, "\r\n") {
				return nil, nil, fmt.Errorf("wscore: dial: header %q contains a line break: %w", k, ErrBadHandshake)
			}
			b.WriteString(k + ": " + v + "\r\n")
		}
	}
	b.WriteString("\r\n")
	if _, err := nc.Write([]byte(b.String())); err != nil {
		return nil, nil, fmt.Errorf("wscore: dial: write request: %w", ctxErr(ctx, err))
	}
	br := bufio.NewReaderSize(nc, 4096)
	req := &http.Request{Method: http.MethodGet, URL: u}
	resp, err := http.ReadResponse(br, req)
	if err != nil {
		return nil, nil, fmt.Errorf("wscore: dial: read response: %w", ctxErr(ctx, err))
	}
	resp.Body = http.NoBody
	fail := func(reason string) (*Conn, *http.Response, error) {
		return nil, resp, &HandshakeError{Status: resp.StatusCode, Reason: reason}
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		return fail("expected status 101, got " + resp.Status)
	}
	if !headerHasToken(resp.Header, "Upgrade", "websocket") {
		return fail(`"Upgrade" header must contain "websocket"`)
	}
	if !headerHasToken(resp.Header, "Connection", "upgrade") {
		return fail(`"Connection" header must contain "upgrade"`)
	}
	if got := strings.TrimSpace(resp.Header.Get("Sec-WebSocket-Accept")); got != AcceptKey(key) {
		return fail(`wrong "Sec-WebSocket-Accept"`)
	}
	subp := strings.TrimSpace(resp.Header.Get("Sec-WebSocket-Protocol"))
	if subp != "" && !containsFold(opts.Subprotocols, subp, false) {
		return fail("server chose subprotocol " + subp + " that was not offered")
	}
	var defl *deflateState
	agreed, err := acceptDeflate(resp.Header.Values("Sec-WebSocket-Extensions"), opts.Compression)
	if err != nil {
		return fail(err.Error())
	}
	if agreed != nil {
		defl = agreed.state(true)
	}
	if !stop() {
		// The context expired meanwhile and its deadline poisoned nc.
		return nil, resp, fmt.Errorf("wscore: dial: %w", context.Cause(ctx))
	}
	_ = nc.SetDeadline(time.Time{})
	return newConn(nc, br, true, &opts.Conn, subp, defl), resp, nil
}

// ctxErr prefers the context's error when it caused a network failure.
func ctxErr(ctx context.Context, err error) error {
	if ce := ctx.Err(); ce != nil {
		return fmt.Errorf("%w (%w)", ce, err)
	}
	if _, ok := ctx.Deadline(); ok && isTimeout(err) {
		// The socket deadline mirrors ctx's and may fire a hair before
		// ctx itself reports it.
		return fmt.Errorf("%w (%w)", context.DeadlineExceeded, err)
	}
	return err
}
