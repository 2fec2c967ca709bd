package rfc6455

import (
	"bytes"
	"fmt"
	"strings"
)

// --- 7 Close handling --------------------------------------------------------

func closeCases() []*testCase {
	c1000 := ClosePayload(CloseNormal, "")
	cs := []*testCase{
		{id: "7.1.1", desc: "send a text message, then close 1000; expect the echo, then close 1000 and TCP close", run: func(p *peer) {
			p.sendMessage(OpText, []byte("Hello World"))
			p.expectMessage(OpText, []byte("Hello World"))
			p.closeNormally()
		}},
		{id: "7.1.2", desc: "send close 1000 twice; expect one close 1000 and TCP close, nothing else", run: func(p *peer) {
			p.closeSent = true
			p.send(p.frame(true, 0, OpClose, c1000), p.frame(true, 0, OpClose, c1000))
			p.expectCloseReply(CloseNormal)
		}},
		{id: "7.1.3", desc: "send close 1000, then a ping; expect close 1000 and TCP close, no pong", run: func(p *peer) {
			p.closeSent = true
			p.send(p.frame(true, 0, OpClose, c1000), p.frame(true, 0, OpPing, []byte("Hello World")))
			p.expectCloseReply(CloseNormal)
		}},
		{id: "7.1.4", desc: "send close 1000, then a text message; expect close 1000 and TCP close, no echo", run: func(p *peer) {
			p.closeSent = true
			p.send(p.frame(true, 0, OpClose, c1000), p.frame(true, 0, OpText, []byte("Hello World")))
			p.expectCloseReply(CloseNormal)
		}},
		{id: "7.1.5", desc: "send the first fragment of a text message, close 1000, then the last fragment; expect close 1000 and TCP close, no echo", run: func(p *peer) {
			p.closeSent = true
			p.send(p.frame(false, 0, OpText, []byte("fragment1")), p.frame(true, 0, OpClose, c1000), p.frame(true, 0, OpContinuation, []byte("fragment2")))
			p.expectCloseReply(CloseNormal)
		}},
		{id: "7.1.6", size: 256 << 10, desc: "send a 256 KiB text message, close 1000 and a ping back to back; expect the echo (which a target may drop once it has the close), close 1000, no pong", run: func(p *peer) {
			msg := bytes.Repeat([]byte("BAsd7&jh23"), 256<<10/10)
			p.closeSent = true
			p.send(p.frame(true, 0, OpText, msg), p.frame(true, 0, OpClose, c1000), p.frame(true, 0, OpPing, []byte("Hello World")))
			ev := p.next(p.timeoutFor(len(msg)))
			if ev.kind == evMessage {
				if ev.op != OpText || !bytes.Equal(ev.payload, msg) {
					p.fatalf("expected the 256 KiB echo or the close; got %s", ev)
				}
				ev = p.next(p.timeout)
			}
			p.checkClose(ev, []int{CloseNormal}, "expected the closing handshake")
		}},
		{id: "7.3.1", desc: "send a close frame with an empty payload; expect a close with an empty payload or 1000, and TCP close", run: func(p *peer) {
			p.sendClose(nil)
			p.expectCloseReply(CloseNoStatus, CloseNormal)
		}},
		{id: "7.3.2", desc: "send a close frame with a 1-byte payload; expect close 1002", run: func(p *peer) {
			p.sendClose([]byte("a"))
			p.expectCloseReply(CloseProtocolError)
		}},
		{id: "7.3.3", desc: "send close 1000 without reason; expect close 1000", run: func(p *peer) {
			p.sendClose(c1000)
			p.expectCloseReply(CloseNormal)
		}},
		{id: "7.3.4", desc: "send close 1000 with a reason; expect close 1000", run: func(p *peer) {
			p.sendClose(ClosePayload(CloseNormal, "Hello World!"))
			p.expectCloseReply(CloseNormal)
		}},
		{id: "7.3.5", desc: "send close 1000 with a 123-byte reason (a 125-byte payload, the maximum); expect close 1000", run: func(p *peer) {
			p.sendClose(ClosePayload(CloseNormal, strings.Repeat("*", 123)))
			p.expectCloseReply(CloseNormal)
		}},
		{id: "7.3.6", desc: "send close 1000 with a 124-byte reason (a 126-byte control frame); expect close 1002", run: func(p *peer) {
			p.sendClose(ClosePayload(CloseNormal, strings.Repeat("*", 124)))
			p.expectCloseReply(CloseProtocolError)
		}},
		{id: "7.5.1", desc: "send close 1000 whose reason is invalid UTF-8; expect close 1007", run: func(p *peer) {
			p.sendClose(ClosePayload(CloseNormal, string(kosme)+"\xed\xa0\x80edited"))
			p.expectCloseReply(CloseInvalidPayload)
		}},
	}
	for i, code := range []int{1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999} {
		cs = append(cs, &testCase{
			id:   fmt.Sprintf("7.7.%d", i+1),
			desc: fmt.Sprintf("send close with valid code %d; expect the code echoed and TCP close", code),
			run: func(p *peer) {
				p.sendClose(ClosePayload(code, ""))
				codes := []int{code}
				if p.opts.CloseReplyNormal && code != CloseNormal {
					p.deviation("CloseReplyNormal: accepting 1000 as the reply to %d", code)
					codes = append(codes, CloseNormal)
				}
				p.expectCloseReply(codes...)
			},
		})
	}
	invalid := func(id string, code int, note string) *testCase {
		return &testCase{
			id:   id,
			desc: fmt.Sprintf("send close with code %d%s; expect close 1002", code, note),
			run: func(p *peer) {
				p.sendClose(ClosePayload(code, ""))
				p.expectCloseReply(CloseProtocolError)
			},
		}
	}
	for i, code := range []int{0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999} {
		cs = append(cs, invalid(fmt.Sprintf("7.9.%d", i+1), code, ""))
	}
	// golua addition: 1012-1014 are IANA-registered but defined by no RFC,
	// and 1015 must never be sent; the project treats them as errors.
	for i, code := range []int{1012, 1013, 1014, 1015} {
		cs = append(cs, invalid(fmt.Sprintf("7.9.%d", 10+i), code, " (golua addition: not defined by RFC 6455)"))
	}
	cs = append(cs, invalid("7.13.1", 5000, " (above the 4999 private range)"), invalid("7.13.2", 65535, " (largest 16-bit value)"))
	return cs
}

// --- 9 Limits and performance (bounded sizes) --------------------------------

func limitCases() []*testCase {
	var cs []*testCase
	kinds := []struct {
		op  byte
		gen func(int) []byte
	}{{OpText, textPayload}, {OpBinary, binaryPayload}}
	big := []int{64 << 10, 256 << 10, 1 << 20, 4 << 20, 8 << 20, 16 << 20}
	for k, kind := range kinds {
		for i, n := range big {
			cs = append(cs, &testCase{
				id:   fmt.Sprintf("9.%d.%d", k+1, i+1),
				size: n,
				desc: fmt.Sprintf("send a %s message of %d bytes in one frame; expect the echo", OpName(kind.op), n),
				run: func(p *peer) {
					msg := kind.gen(n)
					p.send(p.frame(true, 0, kind.op, msg))
					p.expectMessage(kind.op, msg)
				},
			})
		}
	}
	// 9.3/9.4: a 1 MiB message (Autobahn uses 4 MiB) in fragments of 64 B .. 1 MiB.
	const fragMsg = 1 << 20
	for k, kind := range kinds {
		for i, fs := range []int{64, 256, 1 << 10, 4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20} {
			cs = append(cs, &testCase{
				id:   fmt.Sprintf("9.%d.%d", k+3, i+1),
				size: fragMsg,
				desc: fmt.Sprintf("send a %d-byte %s message in fragments of %d bytes; expect the echo", fragMsg, OpName(kind.op), fs),
				run: func(p *peer) {
					msg := kind.gen(fragMsg)
					p.send(p.message(kind.op, msg, fs, false))
					p.expectMessage(kind.op, msg)
				},
			})
		}
	}
	// 9.5/9.6: a 1 MiB frame written in chops of 64 B .. 2 KiB.
	for k, kind := range kinds {
		for i, chop := range []int{64, 128, 256, 512, 1024, 2048} {
			cs = append(cs, &testCase{
				id:   fmt.Sprintf("9.%d.%d", k+5, i+1),
				size: 1 << 20,
				desc: fmt.Sprintf("send a 1 MiB %s message in one frame written in %d-byte chops; expect the echo", OpName(kind.op), chop),
				run: func(p *peer) {
					msg := kind.gen(1 << 20)
					p.sendChopped(p.frame(true, 0, kind.op, msg), chop, 0)
					p.expectMessage(kind.op, msg)
				},
			})
		}
	}
	// 9.7/9.8: 1000 round trips of small messages, each waiting for its echo.
	for k, kind := range kinds {
		for i, n := range []int{0, 16, 64, 256, 1024, 4096} {
			cs = append(cs, &testCase{
				id:   fmt.Sprintf("9.%d.%d", k+7, i+1),
				size: n,
				desc: fmt.Sprintf("send 1000 %s messages of %d bytes, one at a time, each after the previous echo; expect every echo", OpName(kind.op), n),
				run: func(p *peer) {
					base := kind.gen(n + 1000)
					for j := range 1000 {
						msg := base[j : j+n]
						p.sendMessage(kind.op, msg)
						p.expectMessage(kind.op, msg)
					}
				},
			})
		}
	}
	return cs
}

// --- 10 Miscellaneous --------------------------------------------------------

func miscCases() []*testCase {
	return []*testCase{
		{id: "10.1.1", size: 65536, desc: "send a 65536-byte text message in 1300-byte fragments; expect the echo", run: func(p *peer) {
			msg := textPayload(65536)
			p.send(p.message(OpText, msg, 1300, false))
			p.expectMessage(OpText, msg)
		}},
		{id: "10.2.1", serverOnly: true, desc: "golua addition: send an UNMASKED text frame to the server (RFC 6455 5.1); expect close 1002", run: func(p *peer) {
			p.send(AppendFrame(nil, true, 0, OpText, false, hello))
			p.expectFail(CloseProtocolError)
		}},
		{id: "10.2.2", clientOnly: true, desc: "golua addition: send a MASKED text frame to the client (RFC 6455 5.1); expect close 1002", run: func(p *peer) {
			p.send(AppendFrame(nil, true, 0, OpText, true, hello))
			p.expectFail(CloseProtocolError)
		}},
		{id: "10.3.1", desc: "golua addition: send a frame whose 64-bit length has the most significant bit set (RFC 6455 5.2); expect close 1002 or 1009", run: func(p *peer) {
			hdr := []byte{0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 5}
			if !p.targetIsClient {
				hdr[1] |= 0x80
				hdr = append(hdr, 1, 2, 3, 4)
			}
			p.send(hdr, []byte("hello"))
			p.expectFail(CloseProtocolError, CloseMessageTooBig)
		}},
		{id: "10.4.1", desc: "golua addition: send a binary message one byte over the target's declared MaxMessageSize; expect close 1009", run: func(p *peer) {
			if p.opts.MaxMessageSize <= 0 || p.opts.MaxMessageSize > 32<<20 {
				p.t.Skip("needs SuiteOptions.MaxMessageSize between 1 and 32 MiB")
			}
			msg := binaryPayload(p.opts.MaxMessageSize)
			p.sendMessage(OpBinary, msg)
			p.expectMessage(OpBinary, msg)
			p.sendMessage(OpBinary, binaryPayload(p.opts.MaxMessageSize+1))
			p.expectFail(CloseMessageTooBig)
		}},
	}
}
