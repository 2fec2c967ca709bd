package wscore

import (
	"bufio"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Tests of issue #13 item 2: the memory a connection holds grows with the
// bytes it received, not with the length a frame header announces.

const (
	announcedConns = 100
	announcedLen   = 16 << 20
	announcedBound = 64 << 20 // heap growth allowed for all connections together
)

// announcedHeap returns the heap after two collections (the second one
// empties sync.Pool's victim cache, so pooled free buffers do not count).
func announcedHeap() runtime.MemStats {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms
}

func announcedGrowth(before, after uint64) int64 { return int64(after) - int64(before) }

// announcedHeader is a masked client frame header announcing n payload
// bytes (the 64-bit length form), as a hostile peer sends it.
func announcedHeader(fin bool, rsv1 bool, op byte, n uint64) []byte {
	b0 := op
	if fin {
		b0 |= 0x80
	}
	if rsv1 {
		b0 |= 0x40
	}
	h := []byte{b0, 0x80 | 127}
	h = binary.BigEndian.AppendUint64(h, n)
	return append(h, testKey...)
}

// TestAnnouncedLengthAttack: 100 raw clients each send a header announcing
// 16 MiB and one byte of payload, then wait. The server's heap must not grow
// by what was announced (1.6 GB) but by about what was received.
func TestAnnouncedLengthAttack(t *testing.T) {
	cases := []struct {
		name     string
		message  bool // the server reads with ReadMessage
		compress bool
		wire     []byte // sent after the handshake
	}{
		// A large frame: its own payload buffer.
		{"frame", false, false, append(announcedHeader(true, false, 2, announcedLen), 'x'^testKey[0])},
		// ReadMessage reassembling a fragmented message whose first
		// fragment announces 16 MiB.
		{"fragmented-first", true, false, append(announcedHeader(false, false, 2, announcedLen), 'x'^testKey[0])},
		// A whole first fragment, then a continuation announcing 16 MiB.
		{"fragmented-continuation", true, false, append(cframe(false, 2, []byte("0123456789")),
			append(announcedHeader(true, false, 0, announcedLen), 'x'^testKey[0])...)},
		// A compressed message (RSV1, permessage-deflate negotiated): its
		// compressed bytes are gathered before inflating.
		{"compressed", true, true, append(announcedHeader(true, true, 2, announcedLen), 0x00^testKey[0])},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := &AcceptOptions{Conn: Options{MaxFramePayload: 32 << 20, MaxMessageSize: 64 << 20}}
			if tc.compress {
				opts.Compression = &CompressionOptions{}
			}
			// reached receives one value per connection whose server has
			// read the header and the byte behind it.
			reached := make(chan struct{}, announcedConns)
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				c, err := Accept(w, r, opts)
				if err != nil {
					t.Errorf("accept: %v", err)
					return
				}
				defer c.CloseNow()
				if tc.compress && !c.Compressed() {
					t.Errorf("permessage-deflate not negotiated")
					return
				}
				announcedServe(c, tc.message, reached)
			})}
			go srv.Serve(ln)
			defer srv.Close()

			before := announcedHeap()
			var clients []net.Conn
			defer func() {
				for _, nc := range clients {
					nc.Close()
				}
			}()
			for i := 0; i < announcedConns; i++ {
				nc := announcedDial(t, ln.Addr().String(), tc.compress)
				clients = append(clients, nc)
				if _, err := nc.Write(tc.wire); err != nil {
					t.Fatal(err)
				}
			}
			timeout := time.After(10 * time.Second)
			for i := 0; i < announcedConns; i++ {
				select {
				case <-reached:
				case <-timeout:
					t.Fatalf("only %d of %d servers read their header and byte", i, announcedConns)
				}
			}
			after := announcedHeap()
			alloc := announcedGrowth(before.HeapAlloc, after.HeapAlloc)
			inuse := announcedGrowth(before.HeapInuse, after.HeapInuse)
			sys := announcedGrowth(before.HeapSys, after.HeapSys)
			t.Logf("%d connections announcing %d MiB: heap growth HeapAlloc %.1f MiB, HeapInuse %.1f MiB, HeapSys %.1f MiB",
				announcedConns, announcedLen>>20, float64(alloc)/(1<<20), float64(inuse)/(1<<20), float64(sys)/(1<<20))
			if alloc > announcedBound || inuse > announcedBound || sys > announcedBound {
				t.Fatalf("heap grew by more than %d MiB (HeapAlloc %d, HeapInuse %d, HeapSys %d bytes)", announcedBound>>20, alloc, inuse, sys)
			}
		})
	}
}

// announcedServe reads until the connection ends, with a short read
// deadline so that it can report (through the partial-frame state kept
// across the timeout) when the frame's first payload byte was received.
func announcedServe(c *Conn, message bool, reached chan<- struct{}) {
	told := false
	for {
		_ = c.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
		var err error
		if message {
			_, _, err = c.ReadMessage()
		} else {
			_, err = c.ReadFrame()
		}
		if err == nil {
			continue
		}
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			return
		}
		if !told {
			c.rmu.Lock()
			got := c.rd.inFrame && c.rd.hdr.length == announcedLen && c.rd.got == 1
			c.rmu.Unlock()
			if got {
				told = true
				reached <- struct{}{}
			}
		}
	}
}

// announcedDial opens a raw TCP connection and does the opening handshake
// by hand (offering permessage-deflate when compress is set).
func announcedDial(t *testing.T, addr string, compress bool) net.Conn {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	_ = nc.SetDeadline(time.Now().Add(20 * time.Second))
	req := "GET / HTTP/1.1\r\nHost: " + addr + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
	if compress {
		req += "Sec-WebSocket-Extensions: permessage-deflate\r\n"
	}
	if _, err := nc.Write([]byte(req + "\r\n")); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(nc)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("handshake: %s", resp.Status)
	}
	if compress && !strings.Contains(resp.Header.Get("Sec-WebSocket-Extensions"), "permessage-deflate") {
		t.Fatalf("permessage-deflate not accepted: %q", resp.Header.Get("Sec-WebSocket-Extensions"))
	}
	if br.Buffered() > 0 {
		t.Fatalf("%d unexpected bytes after the 101 response", br.Buffered())
	}
	return nc
}

// TestAnnouncedBytesArriveSlowly: large frames and messages that do arrive
// whole, in small uneven chunks with pauses longer than the read deadline,
// come out intact (the growing buffers keep their bytes across timeouts).
func TestAnnouncedBytesArriveSlowly(t *testing.T) {
	rnd := uint32(7)
	next := func() uint32 { rnd = rnd*1664525 + 1013904223; return rnd >> 8 }
	binaryData := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(next())
		}
		return b
	}
	text := []byte(strings.Repeat("κόσμε ", (20<<20)/11+1))[:20<<20]
	for text[len(text)-1]&0xc0 == 0x80 || text[len(text)-1] >= 0xc0 {
		text = text[:len(text)-1]
	}

	type tcase struct {
		name     string
		message  bool
		compress bool
		want     []byte
		wire     func(want []byte) []byte
	}
	fragments := func(op byte, want []byte, cuts []int, rsv byte) []byte {
		var wire []byte
		prev := 0
		for i, cut := range append(cuts, len(want)) {
			o := byte(0)
			r := byte(0)
			if i == 0 {
				o, r = op, rsv
			}
			wire = append(wire, rawFrame(cut == len(want), r, o, want[prev:cut], testKey)...)
			if i == 1 {
				wire = append(wire, cframe(true, 9, []byte("between"))...) // a ping between fragments
			}
			prev = cut
		}
		return wire
	}
	binary16 := binaryData(16 << 20)
	// Half incompressible, half text: the compressed message is still
	// about 10 MiB, so its gathering buffer grows too.
	mixed := append(binaryData(10<<20), text[:10<<20]...)
	cases := []tcase{
		{"frame-16MiB", false, false, binary16, func(w []byte) []byte { return cframe(true, 2, w) }},
		{"message-20MiB-text", true, false, text, func(w []byte) []byte {
			return fragments(1, w, []int{1, 5<<20 + 3, 5<<20 + 4, 13 << 20}, 0)
		}},
		{"compressed-20MiB", true, true, mixed, func(w []byte) []byte {
			var z bytes.Buffer
			fw, _ := flate.NewWriter(&z, flate.BestSpeed)
			fw.Write(w)
			fw.Flush()
			zb := bytes.TrimSuffix(z.Bytes(), []byte{0, 0, 0xff, 0xff})
			return fragments(2, zb, []int{3, len(zb) / 3, len(zb) / 2}, 4)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, b := tcpPair(t)
			var neg Negotiated
			if tc.compress {
				agreed, err := NegotiateDeflate("permessage-deflate", &CompressionOptions{})
				if err != nil || agreed == nil {
					t.Fatalf("negotiate: %v", err)
				}
				neg.Deflate = agreed
			}
			c := NewConnWith(a, nil, false, &Options{MaxFramePayload: 16 << 20, MaxMessageSize: 20 << 20}, neg)
			defer c.CloseNow()
			wire := tc.wire(tc.want)
			go func() {
				// Uneven chunks, from a few bytes to 200 KiB, and a pause
				// well past the read deadline every 2 MiB or so.
				sent, paused := 0, 0
				for sent < len(wire) {
					k := int(next()%(200<<10)) + 1
					if next()%4 == 0 {
						k = int(next()%9) + 1
					}
					k = min(k, len(wire)-sent)
					if _, err := b.Write(wire[sent : sent+k]); err != nil {
						return
					}
					sent += k
					if sent-paused > 2<<20 {
						paused = sent
						time.Sleep(25 * time.Millisecond)
					}
				}
			}()
			var got []byte
			timeouts := 0
			deadline := time.Now().Add(20 * time.Second)
			for got == nil {
				if time.Now().After(deadline) {
					t.Fatal("message did not arrive")
				}
				_ = c.SetReadDeadline(time.Now().Add(5 * time.Millisecond))
				var op Opcode
				var p []byte
				var err error
				if tc.message {
					op, p, err = c.ReadMessage()
				} else {
					var f Frame
					f, err = c.ReadFrame()
					op, p = f.Opcode, f.Payload
				}
				if errors.Is(err, os.ErrDeadlineExceeded) {
					timeouts++
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				if op.IsControl() {
					continue
				}
				got = append([]byte{}, p...)
			}
			if !bytes.Equal(got, tc.want) {
				t.Fatalf("received %d bytes, want %d (%s)", len(got), len(tc.want), announcedFirstDiff(got, tc.want))
			}
			if timeouts == 0 {
				t.Fatal("no read deadline expired in the middle: the test did not test resumption")
			}
			t.Logf("%d read timeouts in the middle", timeouts)
		})
	}
}

func announcedFirstDiff(a, b []byte) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("first difference at %d", i)
		}
	}
	return "one is a prefix of the other"
}
