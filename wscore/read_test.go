package wscore

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

func TestReadFrameRejections(t *testing.T) {
	big := bytes.Repeat([]byte("x"), 200)
	cases := []struct {
		name     string
		wire     []byte
		client   bool // Conn plays the client (raw peer is a server)
		opts     Options
		sentinel error
		code     int
	}{
		{"reserved opcode 3", cframe(true, 3, nil), false, Options{}, ErrProtocol, 1002},
		{"reserved control opcode 0xB", cframe(true, 0xB, nil), false, Options{}, ErrProtocol, 1002},
		{"RSV1 without extension", rawFrame(true, 4, 1, []byte("a"), testKey), false, Options{}, ErrProtocol, 1002},
		{"RSV2", rawFrame(true, 2, 2, nil, testKey), false, Options{}, ErrProtocol, 1002},
		{"RSV3", rawFrame(true, 1, 2, nil, testKey), false, Options{}, ErrProtocol, 1002},
		{"unmasked client frame", rawFrame(true, 0, 1, []byte("hi"), nil), false, Options{}, ErrProtocol, 1002},
		{"masked server frame", rawFrame(true, 0, 1, []byte("hi"), testKey), true, Options{}, ErrProtocol, 1002},
		{"fragmented ping", cframe(false, 9, nil), false, Options{}, ErrProtocol, 1002},
		{"fragmented close", cframe(false, 8, nil), false, Options{}, ErrProtocol, 1002},
		{"ping over 125", cframe(true, 9, big[:126]), false, Options{}, ErrProtocol, 1002},
		{"continuation without start", cframe(true, 0, []byte("a")), false, Options{}, ErrProtocol, 1002},
		{"text inside fragmented message", append(cframe(false, 1, []byte("a")), cframe(true, 1, []byte("b"))...), false, Options{}, ErrProtocol, 1002},
		{"64-bit length MSB", append([]byte{0x82, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 1}, testKey...), false, Options{}, ErrProtocol, 1002},
		{"frame over limit", cframe(true, 2, big), false, Options{MaxFramePayload: 100}, ErrFrameTooLarge, 1009},
		{"invalid UTF-8", cframe(true, 1, []byte("a\xffb")), false, Options{}, ErrInvalidUTF8, 1007},
		{"UTF-8 split invalid", append(cframe(false, 1, []byte("\xf4")), cframe(true, 0, []byte("\x90\x80\x80"))...), false, Options{}, ErrInvalidUTF8, 1007},
		{"UTF-8 truncated at end", cframe(true, 1, []byte("\xe2\x82")), false, Options{}, ErrInvalidUTF8, 1007},
		{"close 1-byte payload", cframe(true, 8, []byte{3}), false, Options{}, ErrProtocol, 1002},
		{"close code 1005", cframe(true, 8, closePayload(1005, "")), false, Options{}, ErrInvalidCloseCode, 1002},
		{"close code 1006", cframe(true, 8, closePayload(1006, "")), false, Options{}, ErrInvalidCloseCode, 1002},
		{"close code 999", cframe(true, 8, closePayload(999, "")), false, Options{}, ErrInvalidCloseCode, 1002},
		{"close code 5000", cframe(true, 8, closePayload(5000, "")), false, Options{}, ErrInvalidCloseCode, 1002},
		{"close reason bad UTF-8", cframe(true, 8, closePayload(1000, "\xc0\xaf")), false, Options{}, ErrInvalidUTF8, 1007},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var c *Conn
			var raw io.Writer
			var br interface{ Read([]byte) (int, error) }
			if tc.client {
				cc, r, b := clientWithRawServer(t, &tc.opts)
				c, raw, br = cc, r, b
			} else {
				cc, r, b := serverWithRawClient(t, &tc.opts)
				c, raw, br = cc, r, b
			}
			go raw.Write(tc.wire)
			var err error
			for i := 0; i < 3 && err == nil; i++ {
				_, err = c.ReadFrame()
			}
			if !errors.Is(err, tc.sentinel) {
				t.Fatalf("error %v, want %v", err, tc.sentinel)
			}
			if got := CloseStatus(err); got != tc.code {
				t.Fatalf("close status %d, want %d (%v)", got, tc.code, err)
			}
			// The peer receives a close frame with that code.
			fin, op, p := readRaw(t, asBufio(br))
			if !fin || op != 8 || len(p) < 2 || int(binary.BigEndian.Uint16(p)) != tc.code {
				t.Fatalf("peer got fin=%v op=%d payload % x, want close %d", fin, op, p, tc.code)
			}
			// The error is sticky.
			if _, err2 := c.ReadFrame(); !errors.Is(err2, tc.sentinel) {
				t.Fatalf("second read: %v", err2)
			}
		})
	}
}

func TestReadFramesAndControlInterleaved(t *testing.T) {
	c, raw, _ := serverWithRawClient(t, nil)
	var wire []byte
	wire = append(wire, cframe(false, 1, []byte("hel"))...)
	wire = append(wire, cframe(true, 9, []byte("p1"))...)
	wire = append(wire, cframe(false, 0, []byte("lo "))...)
	wire = append(wire, cframe(true, 10, nil)...)
	wire = append(wire, cframe(true, 0, []byte("κόσμε"))...)
	wire = append(wire, cframe(true, 2, make([]byte, 70000))...)
	go raw.Write(wire)
	want := []struct {
		fin bool
		op  Opcode
		p   string
	}{{false, OpText, "hel"}, {true, OpPing, "p1"}, {false, OpContinuation, "lo "}, {true, OpPong, ""}, {true, OpContinuation, "κόσμε"}}
	for i, w := range want {
		f, err := c.ReadFrame()
		if err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		if f.Fin != w.fin || f.Opcode != w.op || string(f.Payload) != w.p {
			t.Fatalf("frame %d: got %v %v %q, want %+v", i, f.Fin, f.Opcode, f.Payload, w)
		}
	}
	f, err := c.ReadFrame()
	if err != nil || len(f.Payload) != 70000 || f.Opcode != OpBinary {
		t.Fatalf("big frame: %v len %d", err, len(f.Payload))
	}
}

func TestReadMessageReassembles(t *testing.T) {
	c, raw, _ := serverWithRawClient(t, &Options{MaxMessageSize: 10})
	var wire []byte
	wire = append(wire, cframe(false, 1, []byte("hel"))...)
	wire = append(wire, cframe(true, 9, []byte("p1"))...)
	wire = append(wire, cframe(false, 0, []byte("lo "))...)
	wire = append(wire, cframe(true, 0, []byte("\xce\xba"))...)
	wire = append(wire, cframe(true, 2, []byte("0123456789"))...)
	wire = append(wire, cframe(false, 2, []byte("0123456"))...)
	wire = append(wire, cframe(true, 0, []byte("789a"))...)
	go raw.Write(wire)
	op, p, err := c.ReadMessage()
	if err != nil || op != OpPing || string(p) != "p1" {
		t.Fatalf("ping: %v %v %q", op, err, p)
	}
	op, p, err = c.ReadMessage()
	if err != nil || op != OpText || string(p) != "hello κ" {
		t.Fatalf("text: %v %v %q", op, err, p)
	}
	op, p, err = c.ReadMessage()
	if err != nil || op != OpBinary || string(p) != "0123456789" {
		t.Fatalf("binary: %v %v %q", op, err, p)
	}
	_, _, err = c.ReadMessage()
	if !errors.Is(err, ErrMessageTooLarge) || CloseStatus(err) != 1009 {
		t.Fatalf("oversized message: %v", err)
	}
}

// TestReadTimeoutResumes cuts a frame and a fragmented message at every
// byte; each read in between times out and the next one continues.
func TestReadTimeoutResumes(t *testing.T) {
	for _, mode := range []string{"frame", "message"} {
		t.Run(mode, func(t *testing.T) {
			c, raw, _ := serverWithRawClient(t, &Options{ReadBufferSize: 256})
			payload := bytes.Repeat([]byte("κόσμε"), 60) // 660 bytes: larger than the read buffer
			var wire []byte
			wire = append(wire, cframe(false, 1, payload[:7])...)
			wire = append(wire, cframe(true, 0, payload[7:])...)
			var got []byte
			timeouts := 0
			for i := 0; i < len(wire); i++ {
				if _, err := raw.Write(wire[i : i+1]); err != nil {
					t.Fatal(err)
				}
				c.SetReadDeadline(time.Now().Add(2 * time.Millisecond))
				for {
					var p []byte
					var err error
					if mode == "frame" {
						var f Frame
						f, err = c.ReadFrame()
						p = f.Payload
					} else {
						_, p, err = c.ReadMessage()
					}
					if err != nil {
						if !errors.Is(err, os.ErrDeadlineExceeded) {
							t.Fatalf("byte %d: %v", i, err)
						}
						timeouts++
						break
					}
					got = append(got, p...)
				}
			}
			if !bytes.Equal(got, payload) {
				t.Fatalf("reassembled %d bytes, want %d", len(got), len(payload))
			}
			if timeouts < len(wire)-2 {
				t.Fatalf("only %d timeouts", timeouts)
			}
		})
	}
}

func TestReadAfterPeerCloseAndEOF(t *testing.T) {
	c, raw, br := serverWithRawClient(t, nil)
	go raw.Write(cframe(true, 8, closePayload(4001, "bye")))
	f, err := c.ReadFrame()
	if err != nil || f.Opcode != OpClose {
		t.Fatalf("%v %v", f, err)
	}
	if code, reason := f.CloseCode(); code != 4001 || reason != "bye" {
		t.Fatalf("close code %d %q", code, reason)
	}
	// Echoed automatically with the same code.
	_, op, p := readRaw(t, br)
	if op != 8 || binary.BigEndian.Uint16(p) != 4001 {
		t.Fatalf("echo op %d % x", op, p)
	}
	var ce *CloseError
	if _, err := c.ReadFrame(); !errors.As(err, &ce) || ce.Code != 4001 {
		t.Fatalf("read after close: %v", err)
	}
	if code, _, ok := c.PeerClose(); !ok || code != 4001 {
		t.Fatal("PeerClose")
	}

	c2, raw2, _ := serverWithRawClient(t, nil)
	raw2.Write(cframe(false, 1, []byte("x"))[:3])
	raw2.Close()
	_, err = c2.ReadFrame()
	if !errors.As(err, &ce) || ce.Code != 1006 || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("EOF mid-frame: %v", err)
	}
}

func TestAutoPong(t *testing.T) {
	c, raw, br := serverWithRawClient(t, &Options{AutoPong: true})
	go raw.Write(cframe(true, 9, []byte("abc")))
	if f, err := c.ReadFrame(); err != nil || f.Opcode != OpPing {
		t.Fatal(f, err)
	}
	_, op, p := readRaw(t, br)
	if op != 10 || string(p) != "abc" {
		t.Fatalf("pong op %d %q", op, p)
	}
}

func TestErrorsMention(t *testing.T) {
	e := protoErr(1009, "frame too big", ErrFrameTooLarge)
	if !strings.Contains(e.Error(), "1009") {
		t.Fatal(e.Error())
	}
}
