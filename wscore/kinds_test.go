package wscore

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// Every rule a peer can break has its own ProtocolError.Kind, so that the
// dialects word violations without reading Reason.
func TestViolationKinds(t *testing.T) {
	cases := []struct {
		name   string
		wire   []byte
		client bool
		opts   Options
		kind   Violation
	}{
		{"reserved data opcode", cframe(true, 3, nil), false, Options{}, ViolationReservedDataOpcode},
		{"reserved control opcode", cframe(true, 0xB, nil), false, Options{}, ViolationReservedControlOpcode},
		{"RSV2", rawFrame(true, 2, 2, nil, testKey), false, Options{}, ViolationReservedBits},
		{"unmasked from a client", rawFrame(true, 0, 1, []byte("hi"), nil), false, Options{}, ViolationUnmaskedFromClient},
		{"masked from a server", rawFrame(true, 0, 1, []byte("hi"), testKey), true, Options{}, ViolationMaskedFromServer},
		{"fragmented ping", cframe(false, 9, nil), false, Options{}, ViolationFragmentedControl},
		{"ping over 125", cframe(true, 9, make([]byte, 126)), false, Options{}, ViolationControlTooLong},
		{"continuation without start", cframe(true, 0, []byte("a")), false, Options{}, ViolationContinuationWithoutStart},
		{"text inside a message", append(cframe(false, 1, []byte("a")), cframe(true, 1, []byte("b"))...), false, Options{}, ViolationDataInsideFragmented},
		{"64-bit length MSB", append([]byte{0x82, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 1}, testKey...), false, Options{}, ViolationLength64},
		{"close 1-byte payload", cframe(true, 8, []byte{3}), false, Options{}, ViolationCloseOneByte},
		{"close code 999", cframe(true, 8, closePayload(999, "")), false, Options{}, ViolationInvalidCloseCode},
		{"invalid UTF-8", cframe(true, 1, []byte("a\xffb")), false, Options{}, ViolationInvalidUTF8},
		{"frame over limit", cframe(true, 2, make([]byte, 200)), false, Options{MaxFramePayload: 100}, ViolationFrameTooLarge},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var c *Conn
			var raw io.Writer
			if tc.client {
				c, raw, _ = clientWithRawServer(t, &tc.opts)
			} else {
				c, raw, _ = serverWithRawClient(t, &tc.opts)
			}
			go raw.Write(tc.wire)
			var err error
			for i := 0; i < 3 && err == nil; i++ {
				_, err = c.ReadFrame()
			}
			var pe *ProtocolError
			if !errors.As(err, &pe) || pe.Kind != tc.kind {
				t.Fatalf("error %v (kind %v), want kind %v", err, kindOf(err), tc.kind)
			}
		})
	}
}

func kindOf(err error) Violation {
	var pe *ProtocolError
	if errors.As(err, &pe) {
		return pe.Kind
	}
	return -1
}

// CheckRequest names each problem of an upgrade request.
func TestHandshakeProblems(t *testing.T) {
	good := func() *http.Request {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Upgrade", "websocket")
		r.Header.Set("Connection", "Upgrade")
		r.Header.Set("Sec-WebSocket-Version", "13")
		r.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
		return r
	}
	cases := []struct {
		name string
		mod  func(r *http.Request)
		want HandshakeProblem
	}{
		{"POST", func(r *http.Request) { r.Method = "POST" }, ProblemMethod},
		{"HTTP/1.0", func(r *http.Request) { r.ProtoMinor = 0 }, ProblemHTTPVersion},
		{"no upgrade", func(r *http.Request) { r.Header.Del("Upgrade") }, ProblemNoUpgrade},
		{"upgrade h2c", func(r *http.Request) { r.Header.Set("Upgrade", "h2c") }, ProblemUpgrade},
		{"no connection", func(r *http.Request) { r.Header.Del("Connection") }, ProblemNoConnection},
		{"connection close", func(r *http.Request) { r.Header.Set("Connection", "close") }, ProblemConnection},
		{"no version", func(r *http.Request) { r.Header.Del("Sec-WebSocket-Version") }, ProblemNoVersion},
		{"version 8", func(r *http.Request) { r.Header.Set("Sec-WebSocket-Version", "8") }, ProblemVersion},
		{"no key", func(r *http.Request) { r.Header.Del("Sec-WebSocket-Key") }, ProblemNoKey},
		{"two keys", func(r *http.Request) { r.Header.Add("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAAAA==") }, ProblemKeyCount},
		{"short key", func(r *http.Request) { r.Header.Set("Sec-WebSocket-Key", "c2hvcnQ=") }, ProblemKey},
	}
	if err := CheckRequest(good()); err != nil {
		t.Fatalf("a good request: %v", err)
	}
	for _, tc := range cases {
		r := good()
		tc.mod(r)
		var he *HandshakeError
		if err := CheckRequest(r); !errors.As(err, &he) || he.Problem != tc.want {
			t.Errorf("%s: %v, want problem %d", tc.name, err, tc.want)
		}
	}
}
