package wscore

import (
	"bytes"
	"testing"
)

func TestOpcodeString(t *testing.T) {
	want := map[Opcode]string{OpContinuation: "continuation", OpText: "text", OpBinary: "binary", OpClose: "close", OpPing: "ping", OpPong: "pong", 0x3: "reserved(0x3)", 0xB: "reserved(0xb)"}
	for op, s := range want {
		if got := op.String(); got != s {
			t.Errorf("Opcode(%d).String() = %q, want %q", op, got, s)
		}
	}
}

func TestHeaderRoundTripAllLengths(t *testing.T) {
	lengths := []int{0, 1, 125, 126, 127, 65535, 65536, 1 << 20}
	for _, n := range lengths {
		for _, masked := range []bool{false, true} {
			var b [maxHeaderSize]byte
			hn := putHeader(b[:], true, 0x40, OpBinary, n, masked, 0xdeadbeef)
			if hn != headerSize(n, masked) {
				t.Fatalf("len %d: header size %d, headerSize says %d", n, hn, headerSize(n, masked))
			}
			// Independent encoder must agree byte for byte (minimal encoding).
			var key []byte
			if masked {
				key = []byte{0xef, 0xbe, 0xad, 0xde}
			}
			want := rawFrame(true, 4, 2, make([]byte, n), key)[:hn]
			if !bytes.Equal(b[:hn], want) {
				t.Fatalf("len %d masked %v: header % x, want % x", n, masked, b[:hn], want)
			}
			h, pn, ok := parseHeader(b[:hn])
			if !ok || pn != hn || h.length != int64(n) || !h.fin || h.rsv != 0x40 || h.op != OpBinary || h.masked != masked {
				t.Fatalf("len %d: parsed %+v n=%d ok=%v", n, h, pn, ok)
			}
			if masked && h.key != 0xdeadbeef {
				t.Fatalf("key %x", h.key)
			}
			// Every strict prefix is "incomplete".
			for i := 0; i < hn; i++ {
				if _, pn, ok := parseHeader(b[:i]); pn != 0 || !ok {
					t.Fatalf("prefix %d of %d parsed as complete", i, hn)
				}
			}
		}
	}
}

func TestHeader64BitMSB(t *testing.T) {
	b := []byte{0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 1}
	if _, _, ok := parseHeader(b); ok {
		t.Fatal("64-bit length with MSB set accepted")
	}
}

func TestParseClosePayload(t *testing.T) {
	for code := 0; code < 6000; code++ {
		_, _, err := ParseClosePayload(closePayload(code, "ok"))
		valid := (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011) || (code >= 3000 && code <= 4999)
		if (err == nil) != valid {
			t.Fatalf("code %d: err=%v, want valid=%v", code, err, valid)
		}
		if err != nil && CloseStatus(err) != StatusProtocolError {
			t.Fatalf("code %d: close status %d", code, CloseStatus(err))
		}
	}
	if c, r, err := ParseClosePayload(nil); c != 1005 || r != "" || err != nil {
		t.Fatalf("empty: %d %q %v", c, r, err)
	}
	if _, _, err := ParseClosePayload([]byte{3}); CloseStatus(err) != 1002 {
		t.Fatalf("1-byte payload: %v", err)
	}
	if _, _, err := ParseClosePayload(closePayload(1000, "\xff")); CloseStatus(err) != 1007 {
		t.Fatalf("bad reason: %v", err)
	}
	if c, r, err := ParseClosePayload(closePayload(4000, "bye")); c != 4000 || r != "bye" || err != nil {
		t.Fatalf("good: %d %q %v", c, r, err)
	}
}
