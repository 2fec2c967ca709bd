package rfc6455

import (
	"bytes"
	"fmt"
	"time"
)

// Pauses used when bytes must arrive in separate TCP segments.
const (
	octetDelay = time.Millisecond      // between single-byte chops
	frameDelay = 10 * time.Millisecond // between frames sent "with flush"
)

// textPayload returns n bytes of printable ASCII. The pattern repeats every
// 4093 bytes (a prime), so shifted, dropped or reordered chunks show.
func textPayload(n int) []byte {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-*"
	return repeatBlock(n, 4093, func(i int) byte { return alphabet[(i*7+i/61)%len(alphabet)] })
}

// binaryPayload returns n bytes covering every byte value, repeating every
// 4091 bytes.
func binaryPayload(n int) []byte {
	return repeatBlock(n, 4091, func(i int) byte { return byte(i*31 + i/251) })
}

// repeatBlock fills n bytes with a period-long block made by gen, copying
// rather than computing byte by byte (16 MiB payloads, also under -race).
func repeatBlock(n, period int, gen func(int) byte) []byte {
	b := make([]byte, n)
	for i := 0; i < min(n, period); i++ {
		b[i] = gen(i)
	}
	for filled := period; filled < n; filled *= 2 {
		copy(b[filled:], b[:filled])
	}
	return b
}

var hello = []byte("Hello, world!")

// --- 1 Framing ---------------------------------------------------------------

func framingCases() []*testCase {
	var cs []*testCase
	sizes := []int{0, 125, 126, 127, 128, 65535, 65536}
	for sub, kind := range []struct {
		op   byte
		name string
		gen  func(int) []byte
	}{{OpText, "text", textPayload}, {OpBinary, "binary", binaryPayload}} {
		for i, n := range sizes {
			// Each payload length exercises one length encoding boundary:
			// 7-bit (<=125), 16-bit (126..65535) and 64-bit (>=65536).
			cs = append(cs, &testCase{
				id:   fmt.Sprintf("1.%d.%d", sub+1, i+1),
				desc: fmt.Sprintf("send a %s message of %d bytes in one frame; expect the echo", kind.name, n),
				size: n,
				run: func(p *peer) {
					msg := kind.gen(n)
					p.sendMessage(kind.op, msg)
					p.expectMessage(kind.op, msg)
				},
			})
		}
		// 1.x.8: the same 64 KiB frame arrives in 997-byte chops, so the
		// target's reader must resume mid-frame.
		cs = append(cs, &testCase{
			id:   fmt.Sprintf("1.%d.8", sub+1),
			desc: fmt.Sprintf("send a %s message of 65536 bytes in one frame, written in 997-byte chops; expect the echo", kind.name),
			size: 65536,
			run: func(p *peer) {
				msg := kind.gen(65536)
				p.sendChopped(p.message(kind.op, msg, 0, false), 997, 0)
				p.expectMessage(kind.op, msg)
			},
		})
	}
	return cs
}

// --- 2 Pings/Pongs -----------------------------------------------------------

func pingCases() []*testCase {
	ping := func(id, desc string, payload []byte, chopped bool) *testCase {
		return &testCase{id: id, desc: desc, run: func(p *peer) {
			f := p.frame(true, 0, OpPing, payload)
			if chopped {
				p.sendChopped(f, 1, octetDelay)
			} else {
				p.send(f)
			}
			p.expectPong(payload)
		}}
	}
	pongs := func(p *peer, chopped bool) {
		var all []byte
		for i := range 10 {
			all = append(all, p.frame(true, 0, OpPing, fmt.Appendf(nil, "payload-%d", i))...)
		}
		if chopped {
			p.sendChopped(all, 1, octetDelay)
		} else {
			p.send(all)
		}
		for i := range 10 {
			p.expectPong(fmt.Appendf(nil, "payload-%d", i))
		}
	}
	return []*testCase{
		ping("2.1", "send a ping without payload; expect a pong without payload", nil, false),
		ping("2.2", "send a ping with a small text payload; expect a pong with the same payload", hello, false),
		ping("2.3", "send a ping with a small binary payload; expect a pong with the same payload", []byte{0x00, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0x00, 0xff}, false),
		ping("2.4", "send a ping with a 125-byte binary payload (the control frame maximum); expect a pong with the same payload", bytes.Repeat([]byte{0xfe}, 125), false),
		{id: "2.5", desc: "send a ping with a 126-byte payload (over the control frame limit); expect close 1002", run: func(p *peer) {
			p.sendFrame(true, 0, OpPing, bytes.Repeat([]byte{0xfe}, 126))
			p.expectFail(CloseProtocolError)
		}},
		ping("2.6", "send a ping with a 125-byte payload one byte per TCP segment; expect a pong with the same payload", bytes.Repeat([]byte{0xfe}, 125), true),
		{id: "2.7", desc: "send an unsolicited pong without payload; expect nothing, then a normal closing handshake", run: func(p *peer) {
			p.sendFrame(true, 0, OpPong, nil)
		}},
		{id: "2.8", desc: "send an unsolicited pong with payload; expect nothing, then a normal closing handshake", run: func(p *peer) {
			p.sendFrame(true, 0, OpPong, []byte("unsolicited pong payload"))
		}},
		{id: "2.9", desc: "send an unsolicited pong, then a ping with payload; expect only the pong answering the ping", run: func(p *peer) {
			p.send(p.frame(true, 0, OpPong, []byte("unsolicited pong payload")), p.frame(true, 0, OpPing, []byte("ping payload")))
			p.expectPong([]byte("ping payload"))
		}},
		{id: "2.10", desc: "send 10 pings with payloads payload-0..payload-9 in one write; expect 10 pongs in order", run: func(p *peer) { pongs(p, false) }},
		{id: "2.11", desc: "send 10 pings with payloads one byte per TCP segment; expect 10 pongs in order", run: func(p *peer) { pongs(p, true) }},
	}
}

// --- 3 Reserved bits ---------------------------------------------------------

func rsvCases() []*testCase {
	// textThenBad sends a valid text message, a frame with reserved bits and a
	// ping: the valid message is echoed, the bad frame fails the connection
	// and the ping after it must not be answered.
	textThenBad := func(p *peer, rsv byte, mode string) {
		frames := [][]byte{
			p.frame(true, 0, OpText, hello),
			p.frame(true, rsv, OpText, hello),
			p.frame(true, 0, OpPing, hello),
		}
		switch mode {
		case "octets":
			p.sendChopped(bytes.Join(frames, nil), 1, octetDelay)
		case "frames":
			p.sendFrames(frameDelay, frames...)
		default:
			p.send(frames...)
		}
		p.expectMessage(OpText, hello)
		p.expectFail(CloseProtocolError)
	}
	return []*testCase{
		{id: "3.1", desc: "send a small text message with RSV=1; expect close 1002", run: func(p *peer) {
			p.sendFrame(true, 1, OpText, hello)
			p.expectFail(CloseProtocolError)
		}},
		{id: "3.2", desc: "send a text message, then a text message with RSV=2, then a ping, in one write; expect the first echo, then close 1002 and no pong", run: func(p *peer) {
			textThenBad(p, 2, "one")
		}},
		{id: "3.3", desc: "as 3.2 with RSV=3, one byte per TCP segment; expect the first echo, then close 1002 and no pong", run: func(p *peer) {
			textThenBad(p, 3, "octets")
		}},
		{id: "3.4", desc: "as 3.2 with RSV=4 (RSV1 without negotiated compression), one frame per write; expect the first echo, then close 1002 and no pong", run: func(p *peer) {
			textThenBad(p, 4, "frames")
		}},
		{id: "3.5", desc: "send a binary message with RSV=5; expect close 1002", run: func(p *peer) {
			p.sendFrame(true, 5, OpBinary, binaryPayload(8))
			p.expectFail(CloseProtocolError)
		}},
		{id: "3.6", desc: "send a ping with RSV=6; expect close 1002 and no pong", run: func(p *peer) {
			p.sendFrame(true, 6, OpPing, hello)
			p.expectFail(CloseProtocolError)
		}},
		{id: "3.7", desc: "send a close frame (1000) with RSV=7; expect close 1002", run: func(p *peer) {
			p.sendFrame(true, 7, OpClose, ClosePayload(CloseNormal, ""))
			p.expectFail(CloseProtocolError)
		}},
	}
}

// --- 4 Opcodes ---------------------------------------------------------------

func opcodeCases() []*testCase {
	var cs []*testCase
	for gi, ops := range [][]byte{{3, 4, 5, 6, 7}, {0xB, 0xC, 0xD, 0xE, 0xF}} {
		kind := "non-control"
		if gi == 1 {
			kind = "control"
		}
		for i, op := range ops {
			var payload []byte
			if i%2 == 1 || i == 4 {
				payload = []byte("reserved opcode payload")
			}
			if i < 2 {
				cs = append(cs, &testCase{
					id:   fmt.Sprintf("4.%d.%d", gi+1, i+1),
					desc: fmt.Sprintf("send a frame with reserved %s opcode %d (payload %d bytes); expect close 1002", kind, op, len(payload)),
					run: func(p *peer) {
						p.sendFrame(true, 0, op, payload)
						p.expectFail(CloseProtocolError)
					},
				})
				continue
			}
			cs = append(cs, &testCase{
				id:   fmt.Sprintf("4.%d.%d", gi+1, i+1),
				desc: fmt.Sprintf("send a text message, a frame with reserved %s opcode %d, then a ping; expect the echo, then close 1002 and no pong", kind, op),
				run: func(p *peer) {
					p.send(p.frame(true, 0, OpText, hello), p.frame(true, 0, op, payload), p.frame(true, 0, OpPing, hello))
					p.expectMessage(OpText, hello)
					p.expectFail(CloseProtocolError)
				},
			})
		}
	}
	return cs
}

// --- 5 Fragmentation -------------------------------------------------------

func fragmentationCases() []*testCase {
	f1, f2 := []byte("fragment1"), []byte("fragment2")
	both := []byte("fragment1fragment2")
	write := func(p *peer, mode string, frames ...[]byte) {
		switch mode {
		case "octets":
			p.sendChopped(bytes.Join(frames, nil), 1, octetDelay)
		case "frames":
			p.sendFrames(frameDelay, frames...)
		default:
			p.send(frames...)
		}
	}
	modes := []struct{ mode, text string }{{"one", "in one write"}, {"frames", "one frame per write"}, {"octets", "one byte per TCP segment"}}
	cs := []*testCase{
		{id: "5.1", desc: "send a ping in 2 fragments; expect close 1002", run: func(p *peer) {
			p.send(p.frame(false, 0, OpPing, f1), p.frame(true, 0, OpContinuation, f2))
			p.expectFail(CloseProtocolError)
		}},
		{id: "5.2", desc: "send a pong in 2 fragments; expect close 1002", run: func(p *peer) {
			p.send(p.frame(false, 0, OpPong, f1), p.frame(true, 0, OpContinuation, f2))
			p.expectFail(CloseProtocolError)
		}},
	}
	for i, m := range modes {
		cs = append(cs, &testCase{
			id:   fmt.Sprintf("5.%d", 3+i),
			desc: "send a text message in 2 fragments " + m.text + "; expect the reassembled echo",
			run: func(p *peer) {
				write(p, m.mode, p.frame(false, 0, OpText, f1), p.frame(true, 0, OpContinuation, f2))
				p.expectMessage(OpText, both)
			},
		})
	}
	for i, m := range modes {
		cs = append(cs, &testCase{
			id:   fmt.Sprintf("5.%d", 6+i),
			desc: "send a text message in 2 fragments with a ping between them, " + m.text + "; expect the pong, then the echo",
			run: func(p *peer) {
				write(p, m.mode, p.frame(false, 0, OpText, f1), p.frame(true, 0, OpPing, []byte("ping payload")), p.frame(true, 0, OpContinuation, f2))
				p.expectPong([]byte("ping payload"))
				p.expectMessage(OpText, both)
			},
		})
	}
	for gi, fin := range []bool{true, false} {
		for i, m := range modes {
			cs = append(cs, &testCase{
				id:   fmt.Sprintf("5.%d", 9+gi*3+i),
				desc: fmt.Sprintf("send a continuation frame (FIN=%v) with nothing to continue, then a text message, %s; expect close 1002 and no echo", fin, m.text),
				run: func(p *peer) {
					write(p, m.mode, p.frame(fin, 0, OpContinuation, []byte("non-continuation payload")), p.frame(true, 0, OpText, hello))
					p.expectFail(CloseProtocolError)
				},
			})
		}
	}
	cs = append(cs,
		&testCase{id: "5.15", desc: "send a text message in 2 fragments, then a continuation (FIN=false) with nothing to continue, then a text message; expect the first echo, then close 1002", run: func(p *peer) {
			p.send(p.frame(false, 0, OpText, f1), p.frame(true, 0, OpContinuation, f2),
				p.frame(false, 0, OpContinuation, []byte("fragment3")), p.frame(true, 0, OpText, []byte("fragment4")))
			p.expectMessage(OpText, both)
			p.expectFail(CloseProtocolError)
		}},
		&testCase{id: "5.16", desc: "twice: a continuation (FIN=false) with nothing to continue, then a text message in 2 fragments; expect close 1002 and no echo", run: func(p *peer) {
			var fs [][]byte
			for range 2 {
				fs = append(fs, p.frame(false, 0, OpContinuation, f1), p.frame(false, 0, OpText, f2), p.frame(true, 0, OpContinuation, []byte("fragment3")))
			}
			p.send(fs...)
			p.expectFail(CloseProtocolError)
		}},
		&testCase{id: "5.17", desc: "twice: a continuation (FIN=true) with nothing to continue, then a text message in 2 fragments; expect close 1002 and no echo", run: func(p *peer) {
			var fs [][]byte
			for range 2 {
				fs = append(fs, p.frame(true, 0, OpContinuation, f1), p.frame(false, 0, OpText, f2), p.frame(true, 0, OpContinuation, []byte("fragment3")))
			}
			p.send(fs...)
			p.expectFail(CloseProtocolError)
		}},
		&testCase{id: "5.18", desc: "send a text message in 2 fragments where both frames have opcode text; expect close 1002 and no echo", run: func(p *peer) {
			p.send(p.frame(false, 0, OpText, f1), p.frame(true, 0, OpText, f2))
			p.expectFail(CloseProtocolError)
		}},
	)
	for i, perFrame := range []bool{false, true} {
		how := "in groups with a pause"
		if perFrame {
			how = "one frame per write with pauses"
		}
		cs = append(cs, &testCase{
			id:   fmt.Sprintf("5.%d", 19+i),
			desc: "send a text message in 5 fragments with a ping after the 2nd and the 4th, " + how + "; expect each pong while the message is still open, then the echo",
			run: func(p *peer) {
				fr := func(i int) []byte { return fmt.Appendf(nil, "fragment%d", i) }
				delay := time.Duration(0)
				if perFrame {
					delay = frameDelay
				}
				p.sendFrames(delay, p.frame(false, 0, OpText, fr(1)), p.frame(false, 0, OpContinuation, fr(2)),
					p.frame(true, 0, OpPing, []byte("pongme 1!")), p.frame(false, 0, OpContinuation, fr(3)))
				// The target must answer the ping before the message completes.
				p.expectPong([]byte("pongme 1!"))
				p.sleepAfterWrites(frameDelay)
				p.sendFrames(delay, p.frame(false, 0, OpContinuation, fr(4)),
					p.frame(true, 0, OpPing, []byte("pongme 2!")), p.frame(true, 0, OpContinuation, fr(5)))
				p.expectPong([]byte("pongme 2!"))
				p.expectMessage(OpText, []byte("fragment1fragment2fragment3fragment4fragment5"))
			},
		})
	}
	return cs
}
