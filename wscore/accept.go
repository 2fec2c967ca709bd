package wscore

import (
	"bufio"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/textproto"
	"path"
	"strings"
	"time"
)

// AcceptOptions configures the server side of the opening handshake.
type AcceptOptions struct {
	// Subprotocols is the server's preference list: the first entry that
	// the client also offers is chosen. Ignored when ChooseSubprotocol is set.
	Subprotocols []string
	// ChooseSubprotocol, if set, picks the subprotocol from the client's
	// offers ("" for none). Returning a value not offered is an error.
	ChooseSubprotocol func(r *http.Request, offered []string) string
	// CheckOrigin, if set, decides whether the request's Origin is
	// allowed; false answers 403. When nil, OriginPatterns applies.
	CheckOrigin func(r *http.Request) bool
	// OriginPatterns are path.Match patterns for allowed Origin hosts
	// (e.g. "*.example.com"). With no patterns and no CheckOrigin, any
	// Origin is accepted (the Lua dialects do not check it either).
	OriginPatterns []string
	// Compression enables permessage-deflate when the client offers it.
	Compression *CompressionOptions
	// ResponseHeader holds extra headers for the 101 response.
	ResponseHeader http.Header
	// HandshakeTimeout bounds writing the 101 response (default 10 s).
	HandshakeTimeout time.Duration
	// Conn configures the resulting connection.
	Conn Options
}

// websocketGUID is the fixed GUID of RFC 6455 section 1.3.
const websocketGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// AcceptKey computes Sec-WebSocket-Accept for a Sec-WebSocket-Key.
func AcceptKey(key string) string {
	h := sha1.New()
	h.Write([]byte(key))
	h.Write([]byte(websocketGUID))
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// NewKey returns a new random Sec-WebSocket-Key (16 random bytes, base64).
func NewKey() string {
	var k [16]byte
	_, _ = rand.Read(k[:]) // crypto/rand.Read never fails on supported platforms
	return base64.StdEncoding.EncodeToString(k[:])
}

// headerHasToken reports whether a comma-separated header contains token,
// case-insensitively, across all of its values.
func headerHasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		if HasToken(v, token) {
			return true
		}
	}
	return false
}

// HasToken reports whether the comma-separated header value v holds token,
// compared case-insensitively after trimming spaces ("keep-alive, Upgrade"
// holds "upgrade").
func HasToken(v, token string) bool {
	for _, t := range strings.Split(v, ",") {
		if strings.EqualFold(strings.TrimSpace(t), token) {
			return true
		}
	}
	return false
}

// headerTokens returns the comma-separated tokens of a header.
func headerTokens(h http.Header, name string) []string {
	var out []string
	for _, v := range h.Values(name) {
		for _, t := range strings.Split(v, ",") {
			if t = strings.TrimSpace(t); t != "" {
				out = append(out, t)
			}
		}
	}
	return out
}

// CheckRequest validates a WebSocket upgrade request (RFC 6455 section
// 4.2.1) without writing anything. On failure it returns a *HandshakeError
// whose Status is the HTTP status to answer with: 405 for a method other
// than GET, 426 for a wrong Sec-WebSocket-Version (answer with
// Sec-WebSocket-Version: 13), 400 otherwise.
func CheckRequest(r *http.Request) error {
	bad := func(status int, p HandshakeProblem, reason string) error {
		return &HandshakeError{Status: status, Problem: p, Reason: reason}
	}
	if r.Method != http.MethodGet {
		return bad(http.StatusMethodNotAllowed, ProblemMethod, "method must be GET, got "+r.Method)
	}
	if !r.ProtoAtLeast(1, 1) {
		return bad(http.StatusBadRequest, ProblemHTTPVersion, "HTTP/1.1 or later required, got "+r.Proto)
	}
	if len(r.Header.Values("Upgrade")) == 0 {
		return bad(http.StatusBadRequest, ProblemNoUpgrade, `"Upgrade" header missing`)
	}
	if !headerHasToken(r.Header, "Upgrade", "websocket") {
		return bad(http.StatusBadRequest, ProblemUpgrade, `"Upgrade" header must contain "websocket"`)
	}
	if len(r.Header.Values("Connection")) == 0 {
		return bad(http.StatusBadRequest, ProblemNoConnection, `"Connection" header missing`)
	}
	if !headerHasToken(r.Header, "Connection", "upgrade") {
		return bad(http.StatusBadRequest, ProblemConnection, `"Connection" header must contain "upgrade"`)
	}
	switch v := r.Header.Values("Sec-WebSocket-Version"); {
	case len(v) == 0:
		return bad(http.StatusUpgradeRequired, ProblemNoVersion, `"Sec-WebSocket-Version" missing`)
	case len(v) != 1 || strings.TrimSpace(v[0]) != "13":
		return bad(http.StatusUpgradeRequired, ProblemVersion, `"Sec-WebSocket-Version" must be 13`)
	}
	switch keys := r.Header.Values("Sec-WebSocket-Key"); {
	case len(keys) == 0:
		return bad(http.StatusBadRequest, ProblemNoKey, `"Sec-WebSocket-Key" missing`)
	case len(keys) != 1:
		return bad(http.StatusBadRequest, ProblemKeyCount, `exactly one "Sec-WebSocket-Key" header required`)
	default:
		if k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(keys[0])); err != nil || len(k) != 16 {
			return bad(http.StatusBadRequest, ProblemKey, `"Sec-WebSocket-Key" must be 16 bytes in base64`)
		}
	}
	return nil
}

// Accept upgrades an HTTP request to a WebSocket connection: it validates
// the request, checks the origin, negotiates the subprotocol and
// permessage-deflate, hijacks the connection and writes the 101 response. On
// failure it answers with an HTTP error (400, 403, 405 or 426 with
// Sec-WebSocket-Version: 13) and returns an error wrapping ErrBadHandshake.
func Accept(w http.ResponseWriter, r *http.Request, opts *AcceptOptions) (*Conn, error) {
	if opts == nil {
		opts = &AcceptOptions{}
	}
	resp, defl, subp, err := negotiate(r, opts)
	if err != nil {
		var he *HandshakeError
		if errors.As(err, &he) {
			if he.Status == http.StatusUpgradeRequired {
				w.Header().Set("Sec-WebSocket-Version", "13")
			}
			http.Error(w, he.Reason, he.Status)
		}
		return nil, err
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		http.Error(w, "websocket: connection cannot be hijacked", http.StatusInternalServerError)
		return nil, fmt.Errorf("wscore: accept: response writer does not implement http.Hijacker: %w", ErrBadHandshake)
	}
	nc, brw, err := hj.Hijack()
	if err != nil {
		return nil, fmt.Errorf("wscore: accept: hijack: %w", err)
	}
	c, err := finishAccept(nc, brw.Reader, resp, defl, subp, opts)
	// brw holds net/http's per-connection buffers (4 KiB each way), which
	// stay reachable from the ResponseWriter as long as a handler keeps it.
	// The bytes buffered past the request were copied by newConn and the
	// hijacker owns brw now, so the buffers are dropped here instead of
	// living as long as the WebSocket.
	*brw.Reader = bufio.Reader{}
	*brw.Writer = bufio.Writer{}
	return c, err
}

// AcceptConn performs the server handshake on a connection whose request
// has already been read (for HTTP layers that do not use net/http's server):
// br holds any bytes read past the request and may be nil. On a bad request
// it writes the HTTP error response itself; the caller closes nc.
func AcceptConn(nc net.Conn, br *bufio.Reader, r *http.Request, opts *AcceptOptions) (*Conn, error) {
	if opts == nil {
		opts = &AcceptOptions{}
	}
	resp, defl, subp, err := negotiate(r, opts)
	if err != nil {
		var he *HandshakeError
		if errors.As(err, &he) {
			var b strings.Builder
			fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\n", he.Status, http.StatusText(he.Status))
			if he.Status == http.StatusUpgradeRequired {
				b.WriteString("Sec-WebSocket-Version: 13\r\n")
			}
			fmt.Fprintf(&b, "Content-Type: text/plain; charset=utf-8\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s\n", len(he.Reason)+1, he.Reason)
			_ = nc.SetWriteDeadline(time.Now().Add(handshakeTimeout(opts)))
			_, _ = nc.Write([]byte(b.String()))
		}
		return nil, err
	}
	return finishAccept(nc, br, resp, defl, subp, opts)
}

func handshakeTimeout(o *AcceptOptions) time.Duration {
	if o.HandshakeTimeout > 0 {
		return o.HandshakeTimeout
	}
	return 10 * time.Second
}

func finishAccept(nc net.Conn, br *bufio.Reader, resp []byte, defl *deflateState, subp string, opts *AcceptOptions) (*Conn, error) {
	_ = nc.SetWriteDeadline(time.Now().Add(handshakeTimeout(opts)))
	if _, err := nc.Write(resp); err != nil {
		nc.Close()
		return nil, fmt.Errorf("wscore: accept: write response: %w", err)
	}
	_ = nc.SetDeadline(time.Time{})
	return newConn(nc, br, false, &opts.Conn, subp, defl), nil
}

// negotiate validates the request and builds the 101 response.
func negotiate(r *http.Request, opts *AcceptOptions) (resp []byte, defl *deflateState, subp string, err error) {
	if err := CheckRequest(r); err != nil {
		return nil, nil, "", err
	}
	if err := checkOrigin(r, opts); err != nil {
		return nil, nil, "", err
	}
	offered := headerTokens(r.Header, "Sec-WebSocket-Protocol")
	if opts.ChooseSubprotocol != nil {
		subp = opts.ChooseSubprotocol(r, offered)
		if subp != "" && !containsFold(offered, subp, false) {
			return nil, nil, "", &HandshakeError{Status: http.StatusInternalServerError, Reason: "chosen subprotocol " + subp + " was not offered"}
		}
	} else {
		for _, s := range opts.Subprotocols {
			if containsFold(offered, s, false) {
				subp = s
				break
			}
		}
	}
	var extResp string
	if opts.Compression != nil {
		agreed, err := negotiateDeflate(r.Header.Values("Sec-WebSocket-Extensions"), opts.Compression)
		if err != nil {
			return nil, nil, "", &HandshakeError{Status: http.StatusBadRequest, Reason: "Sec-WebSocket-Extensions: " + err.Error()}
		}
		if agreed != nil {
			defl = agreed.state(false)
			extResp = agreed.Header()
		}
	}
	var b strings.Builder
	b.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ")
	b.WriteString(AcceptKey(strings.TrimSpace(r.Header.Get("Sec-WebSocket-Key"))))
	b.WriteString("\r\n")
	if subp != "" {
		b.WriteString("Sec-WebSocket-Protocol: " + subp + "\r\n")
	}
	if extResp != "" {
		b.WriteString("Sec-WebSocket-Extensions: " + extResp + "\r\n")
	}
	for k, vs := range opts.ResponseHeader {
		k = textproto.CanonicalMIMEHeaderKey(k)
		switch k {
		case "Upgrade", "Connection", "Sec-Websocket-Accept", "Sec-Websocket-Protocol", "Sec-Websocket-Extensions":
			continue // the handshake owns these
		}
		for _, v := range vs {
			if strings.ContainsAny(k+v, "\r\n") {
				continue
			}
			b.WriteString(k + ": " + v + "\r\n")
		}
	}
	b.WriteString("\r\n")
	return []byte(b.String()), defl, subp, nil
}

func containsFold(list []string, s string, fold bool) bool {
	for _, v := range list {
		if v == s || (fold && strings.EqualFold(v, s)) {
			return true
		}
	}
	return false
}

func checkOrigin(r *http.Request, opts *AcceptOptions) error {
	if opts.CheckOrigin != nil {
		if !opts.CheckOrigin(r) {
			return &HandshakeError{Status: http.StatusForbidden, Reason: "origin not allowed"}
		}
		return nil
	}
	if len(opts.OriginPatterns) == 0 {
		return nil
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return nil // not a browser
	}
	host := origin
	if i := strings.Index(host, "://"); i >= 0 {
		host = host[i+3:]
	}
	if strings.EqualFold(host, r.Host) {
		return nil
	}
	for _, p := range opts.OriginPatterns {
		if ok, _ := path.Match(strings.ToLower(p), strings.ToLower(host)); ok {
			return nil
		}
	}
	return &HandshakeError{Status: http.StatusForbidden, Reason: "origin " + origin + " not allowed"}
}
