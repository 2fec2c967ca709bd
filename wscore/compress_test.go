package wscore

import (
	"bytes"
	"compress/flate"
	"errors"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestDeflateContextTakeover(t *testing.T) {
	msg := make([]byte, 2000)
	for i, x := 0, uint32(1); i < len(msg); i++ {
		x = x*1664525 + 1013904223
		msg[i] = 'a' + byte(x>>24)%26
	}
	for _, takeover := range []bool{true, false} {
		p := deflateParams{serverNoTakeover: !takeover, clientNoTakeover: !takeover}
		w := newDeflateState(p, true, &CompressionOptions{Threshold: -1})
		r := newDeflateState(p, false, nil)
		var sizes []int
		for i := 0; i < 4; i++ {
			z, err := w.compress(msg)
			if err != nil {
				t.Fatal(err)
			}
			sizes = append(sizes, len(z))
			out, perr := r.inflate(append([]byte(nil), z...), 1<<20)
			if perr != nil {
				t.Fatal(perr)
			}
			if !bytes.Equal(out.b, msg) {
				t.Fatalf("takeover %v message %d differs", takeover, i)
			}
			putBuf(out)
		}
		if takeover && sizes[1]*4 > sizes[0] {
			t.Fatalf("context takeover: sizes %v, later messages should reuse the window", sizes)
		}
		if !takeover && sizes[1] != sizes[0] {
			t.Fatalf("no context takeover: sizes %v should be equal", sizes)
		}
	}
}

func TestDeflateSmallWindowUsesHuffmanOnly(t *testing.T) {
	d := newDeflateState(deflateParams{serverMaxBits: 9}, false, nil)
	if d.level != -2 {
		t.Fatalf("level %d, want HuffmanOnly", d.level)
	}
	msg := []byte(strings.Repeat("abcabcabc", 1000))
	z, err := d.compress(msg)
	if err != nil {
		t.Fatal(err)
	}
	// The standard library inflates it (no back-references needed).
	out, err := io.ReadAll(flate.NewReader(io.MultiReader(bytes.NewReader(z), bytes.NewReader(inflateTail[:]))))
	if err != nil || !bytes.Equal(out, msg) {
		t.Fatal(err)
	}
}

func TestDeflateNegotiation(t *testing.T) {
	key := "dGhlIHNhbXBsZSBub25jZQ=="
	req := func(ext string) *http.Request {
		r, _ := http.NewRequest("GET", "http://x/", nil)
		r.Header.Set("Upgrade", "websocket")
		r.Header.Set("Connection", "Upgrade")
		r.Header.Set("Sec-WebSocket-Version", "13")
		r.Header.Set("Sec-WebSocket-Key", key)
		if ext != "" {
			r.Header.Set("Sec-WebSocket-Extensions", ext)
		}
		return r
	}
	cases := []struct{ offer, want string }{
		{"permessage-deflate", "permessage-deflate\r\n"},
		{"permessage-deflate; client_max_window_bits", "permessage-deflate\r\n"},
		{"permessage-deflate; server_no_context_takeover", "permessage-deflate; server_no_context_takeover\r\n"},
		{"permessage-deflate; server_max_window_bits=10", "permessage-deflate; server_max_window_bits=10\r\n"},
		{"permessage-deflate; client_no_context_takeover", "permessage-deflate; client_no_context_takeover\r\n"},
		{"permessage-deflate; foo=1, permessage-deflate", "permessage-deflate\r\n"},
		{"permessage-deflate; server_max_window_bits=16", ""},
		{"permessage-deflate; server_max_window_bits", ""},
		{"permessage-deflate; server_no_context_takeover; server_no_context_takeover", ""},
		{"x-webkit-deflate-frame", ""},
		{"", ""},
	}
	for _, tc := range cases {
		resp, _, _, err := negotiate(req(tc.offer), &AcceptOptions{Compression: &CompressionOptions{}})
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if i := strings.Index(string(resp), "Sec-WebSocket-Extensions: "); i >= 0 {
			got = string(resp[i+len("Sec-WebSocket-Extensions: "):])
			got = got[:strings.Index(got, "\r\n")+2]
		}
		if got != tc.want {
			t.Errorf("offer %q: response %q, want %q", tc.offer, got, tc.want)
		}
	}
	// Server-imposed client window and no-context-takeover.
	resp, _, _, _ := negotiate(req("permessage-deflate; client_max_window_bits"), &AcceptOptions{Compression: &CompressionOptions{ClientMaxWindowBits: 12, ClientNoContextTakeover: true}})
	if !strings.Contains(string(resp), "permessage-deflate; client_no_context_takeover; client_max_window_bits=12") {
		t.Fatal(string(resp))
	}
}

// compressedConnPair returns a server Conn with deflate (no context
// takeover) and the raw client socket.
func compressedServer(t *testing.T, opts *Options) (*Conn, io.Writer) {
	a, b := tcpPair(t)
	p := deflateParams{serverNoTakeover: true, clientNoTakeover: true}
	c := newConn(a, nil, false, opts, "", newDeflateState(p, false, nil))
	t.Cleanup(func() { c.CloseNow() })
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	b.SetDeadline(time.Now().Add(10 * time.Second))
	go io.Copy(io.Discard, b)
	return c, b
}

func deflateRaw(t testing.TB, data []byte) []byte {
	var buf bytes.Buffer
	fw, _ := flate.NewWriter(&buf, flate.BestCompression)
	fw.Write(data)
	fw.Flush()
	return bytes.TrimSuffix(buf.Bytes(), []byte{0, 0, 0xff, 0xff})
}

func TestDeflateBomb(t *testing.T) {
	c, raw := compressedServer(t, &Options{MaxMessageSize: 1 << 20})
	// 64 MiB of zeros: byte-aligned flushed segments of zeros concatenate
	// into one valid stream.
	seg := append(deflateRaw(t, make([]byte, 1<<20)), 0, 0, 0xff, 0xff)
	z := bytes.TrimSuffix(bytes.Repeat(seg, 64), []byte{0, 0, 0xff, 0xff})
	go raw.Write(rawFrame(true, 4, 2, z, testKey))
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	_, _, err := c.ReadMessage()
	runtime.ReadMemStats(&ms1)
	if !errors.Is(err, ErrMessageTooLarge) || CloseStatus(err) != 1009 {
		t.Fatalf("bomb: %v", err)
	}
	if alloc := ms1.TotalAlloc - ms0.TotalAlloc; alloc > 8<<20 {
		t.Fatalf("inflating the bomb allocated %d bytes; the limit is 1 MiB", alloc)
	}
}

// TestDeflateNoLimit: without a message limit (silly's negative
// maxmessage, eco's max_payload_len of 2^53 or more) a compressed message
// inflates; the limit plus one used to wrap around and panic.
func TestDeflateNoLimit(t *testing.T) {
	c, raw := compressedServer(t, &Options{MaxMessageSize: -1, MaxFramePayload: -1})
	msg := strings.Repeat("no limit ", 1000)
	go raw.Write(append(rawFrame(true, 4, 1, deflateRaw(t, []byte(msg)), testKey),
		rawFrame(true, 4, 1, deflateRaw(t, []byte(msg)), testKey)...))
	if _, p, err := c.ReadMessage(); err != nil || string(p) != msg {
		t.Fatalf("ReadMessage: %d bytes, %v", len(p), err)
	}
	if f, err := c.ReadFrame(); err != nil || string(f.Payload) != msg {
		t.Fatalf("ReadFrame: %d bytes, %v", len(f.Payload), err)
	}
}

func TestDeflateFragmentedAndControlInterleaved(t *testing.T) {
	c, raw := compressedServer(t, nil)
	msg := []byte(strings.Repeat("κόσμε ", 3000))
	z := deflateRaw(t, msg)
	third := len(z) / 3
	var wire []byte
	wire = append(wire, rawFrame(false, 4, 1, z[:third], testKey)...)
	wire = append(wire, cframe(true, 9, []byte("mid"))...)
	wire = append(wire, rawFrame(false, 0, 0, z[third:2*third], testKey)...)
	wire = append(wire, rawFrame(true, 0, 0, z[2*third:], testKey)...)
	wire = append(wire, rawFrame(true, 4, 1, deflateRaw(t, []byte("a\xffb")), testKey)...)
	go raw.Write(wire)
	f, err := c.ReadFrame()
	if err != nil || f.Opcode != OpPing {
		t.Fatal(f, err)
	}
	f, err = c.ReadFrame()
	if err != nil || !f.Fin || f.Opcode != OpText || !bytes.Equal(f.Payload, msg) {
		t.Fatalf("inflated frame: %v %v len %d", f.Opcode, err, len(f.Payload))
	}
	if _, err = c.ReadFrame(); !errors.Is(err, ErrInvalidUTF8) || CloseStatus(err) != 1007 {
		t.Fatalf("invalid UTF-8 inside compressed text: %v", err)
	}
}

func TestDeflateRejectsRSV1OnContinuationAndCorrupt(t *testing.T) {
	c, raw := compressedServer(t, nil)
	go raw.Write(append(cframe(false, 1, []byte("a")), rawFrame(true, 4, 0, []byte("b"), testKey)...))
	if _, err := c.ReadFrame(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ReadFrame(); !errors.Is(err, ErrProtocol) {
		t.Fatalf("RSV1 on continuation: %v", err)
	}
	c2, raw2 := compressedServer(t, nil)
	go raw2.Write(rawFrame(true, 4, 2, []byte{0xff, 0xff, 0xff, 0xff}, testKey))
	if _, _, err := c2.ReadMessage(); !errors.Is(err, ErrBadCompression) || CloseStatus(err) != 1007 {
		t.Fatalf("corrupt data: %v", err)
	}
}
