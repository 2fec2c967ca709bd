package wscore

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// fuzzConn is a net.Conn that serves fixed bytes, then EOF, and discards
// writes (the close frames a failing Conn sends).
type fuzzConn struct {
	r *bytes.Reader
}

func (f *fuzzConn) Read(p []byte) (int, error)         { return f.r.Read(p) }
func (f *fuzzConn) Write(p []byte) (int, error)        { return len(p), nil }
func (f *fuzzConn) Close() error                       { return nil }
func (f *fuzzConn) LocalAddr() net.Addr                { return &net.TCPAddr{} }
func (f *fuzzConn) RemoteAddr() net.Addr               { return &net.TCPAddr{} }
func (f *fuzzConn) SetDeadline(t time.Time) error      { return nil }
func (f *fuzzConn) SetReadDeadline(t time.Time) error  { return nil }
func (f *fuzzConn) SetWriteDeadline(t time.Time) error { return nil }

// FuzzReadFrame feeds arbitrary bytes to both roles at both levels, with
// and without deflate: no panic, every error is a close, a protocol error
// with a sendable code, or EOF, and no payload exceeds the limits.
func FuzzReadFrame(f *testing.F) {
	f.Add(cframe(true, 1, []byte("hello")), byte(0))
	f.Add(append(cframe(false, 1, []byte("he")), cframe(true, 0, []byte("llo"))...), byte(1))
	f.Add(cframe(true, 8, closePayload(1000, "bye")), byte(0))
	f.Add(rawFrame(true, 0, 2, []byte("abc"), nil), byte(2))
	f.Add(rawFrame(true, 4, 2, deflateRaw(f, []byte("compressed compressed")), testKey), byte(5))
	f.Add([]byte{0x82, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 1}, byte(0))
	f.Add(cframe(true, 2, make([]byte, 300)), byte(3))
	f.Fuzz(func(t *testing.T, data []byte, mode byte) {
		client := mode&1 != 0
		msgLevel := mode&2 != 0
		opts := &Options{MaxFramePayload: 1 << 10, MaxMessageSize: 2 << 10, CloseTimeout: time.Millisecond, ReadBufferSize: 256}
		var defl *deflateState
		if mode&4 != 0 {
			defl = newDeflateState(deflateParams{}, client, nil)
		}
		c := newConn(&fuzzConn{r: bytes.NewReader(data)}, nil, client, opts, "", defl)
		for i := 0; i < 100; i++ {
			var p []byte
			var err error
			if msgLevel {
				_, p, err = c.ReadMessage()
			} else {
				var fr Frame
				fr, err = c.ReadFrame()
				p = fr.Payload
			}
			if int64(len(p)) > opts.MaxMessageSize || (!msgLevel && int64(len(p)) > opts.MaxFramePayload) {
				t.Fatalf("payload of %d bytes past the limits", len(p))
			}
			if err != nil {
				var pe *ProtocolError
				var ce *CloseError
				switch {
				case errors.As(err, &pe):
					if !ValidCloseCode(pe.Code) {
						t.Fatalf("protocol error with unsendable code %d", pe.Code)
					}
				case errors.As(err, &ce):
				default:
					t.Fatalf("unexpected error type %T: %v", err, err)
				}
				return
			}
		}
	})
}

// FuzzInflate: arbitrary compressed input never panics and never yields
// more than the limit.
func FuzzInflate(f *testing.F) {
	f.Add(deflateRaw(f, []byte("hello hello hello")), true)
	f.Add(deflateRaw(f, make([]byte, 100000)), false)
	f.Add([]byte{0xff, 0x00}, false)
	f.Fuzz(func(t *testing.T, z []byte, takeover bool) {
		d := newDeflateState(deflateParams{clientNoTakeover: !takeover}, false, nil)
		for i := 0; i < 2; i++ {
			out, err := d.inflate(z, 4096)
			if err != nil {
				if err.Code != StatusMessageTooBig && err.Code != StatusInvalidPayload {
					t.Fatalf("code %d", err.Code)
				}
				continue
			}
			if len(out.b) > 4096 {
				t.Fatalf("%d bytes past the limit", len(out.b))
			}
			putBuf(out)
		}
	})
}

// FuzzHandshake parses arbitrary request bytes and runs the server
// handshake; it must answer (101 or an HTTP error), never panic.
func FuzzHandshake(f *testing.F) {
	f.Add("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\nSec-WebSocket-Protocol: a, b\r\n\r\n")
	f.Add("GET / HTTP/1.0\r\n\r\n")
	f.Add("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=\"10\"; x\r\n\r\n")
	f.Fuzz(func(t *testing.T, raw string) {
		br := bufio.NewReader(strings.NewReader(raw))
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		var out bytes.Buffer
		nc := &recordConn{fuzzConn: fuzzConn{r: bytes.NewReader(nil)}, w: &out}
		c, err := AcceptConn(nc, br, req, &AcceptOptions{Subprotocols: []string{"b"}, Compression: &CompressionOptions{}})
		resp := out.String()
		if err == nil {
			if !strings.HasPrefix(resp, "HTTP/1.1 101 ") || c == nil {
				t.Fatalf("accepted with response %q", resp)
			}
			if CheckRequest(req) != nil {
				t.Fatal("accepted a request CheckRequest rejects")
			}
			return
		}
		if !errors.Is(err, ErrBadHandshake) || !strings.HasPrefix(resp, "HTTP/1.1 4") {
			t.Fatalf("rejected with %v and response %q", err, resp)
		}
	})
}

type recordConn struct {
	fuzzConn
	w io.Writer
}

func (r *recordConn) Write(p []byte) (int, error) { return r.w.Write(p) }
