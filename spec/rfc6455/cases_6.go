package rfc6455

import (
	"bytes"
	"fmt"
)

// utf8Group is one Autobahn 6.N group: sequences from Markus Kuhn's UTF-8
// decoder capability and stress test, each marked valid or not.
type utf8Group struct {
	name string
	seqs []utf8Seq
}

type utf8Seq struct {
	valid bool
	b     []byte
}

// kosme is "κόσμε", the Greek word of the Kuhn test file (11 bytes, code
// points of 2 and 3 bytes).
var kosme = []byte("\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5")

func utf8Groups() []utf8Group {
	v := func(s string) utf8Seq { return utf8Seq{true, []byte(s)} }
	x := func(s string) utf8Seq { return utf8Seq{false, []byte(s)} }
	var gs []utf8Group
	gs = append(gs, utf8Group{"some valid UTF-8 sequences", []utf8Seq{
		v("hello\x24world"), v("hello\xc2\xa2world"), v("hello\xe2\x82\xacworld"), v("hello\xf0\xa4\xad\xa2world"), {true, kosme},
	}})
	var prefixes []utf8Seq
	for i := 1; i <= len(kosme); i++ {
		prefixes = append(prefixes, utf8Seq{validUTF8(kosme[:i]), kosme[:i]})
	}
	gs = append(gs, utf8Group{"all prefixes of a valid string with multi-byte code points", prefixes})
	gs = append(gs, utf8Group{"first possible sequence of a certain length", []utf8Seq{
		v("\x00"), v("\xc2\x80"), v("\xe0\xa0\x80"), v("\xf0\x90\x80\x80")}})
	gs = append(gs, utf8Group{"first possible sequence of length 5/6 (invalid code points)", []utf8Seq{
		x("\xf8\x88\x80\x80\x80"), x("\xfc\x84\x80\x80\x80\x80")}})
	gs = append(gs, utf8Group{"last possible sequence of a certain length", []utf8Seq{
		v("\x7f"), v("\xdf\xbf"), v("\xef\xbf\xbf"), v("\xf4\x8f\xbf\xbf")}})
	gs = append(gs, utf8Group{"last possible sequence of length 4/5/6 (invalid code points)", []utf8Seq{
		x("\xf7\xbf\xbf\xbf"), x("\xfb\xbf\xbf\xbf\xbf"), x("\xfd\xbf\xbf\xbf\xbf\xbf")}})
	gs = append(gs, utf8Group{"other boundary conditions", []utf8Seq{
		v("\xed\x9f\xbf"), v("\xee\x80\x80"), v("\xef\xbf\xbd"), v("\xf4\x8f\xbf\xbf"), x("\xf4\x90\x80\x80")}})
	var cont []byte
	for c := 0x80; c < 0xbf; c++ {
		cont = append(cont, byte(c))
	}
	gs = append(gs, utf8Group{"unexpected continuation bytes", []utf8Seq{
		x("\x80"), x("\xbf"), x("\x80\xbf"), x("\x80\xbf\x80"), x("\x80\xbf\x80\xbf"), x("\x80\xbf\x80\xbf\x80"),
		x("\x80\xbf\x80\xbf\x80\xbf"), {false, cont}}})
	var lonely []utf8Seq
	for _, r := range [][2]int{{0xc0, 0xdf}, {0xe0, 0xef}, {0xf0, 0xf7}, {0xf8, 0xfb}, {0xfc, 0xfd}} {
		var s []byte
		for c := r[0]; c < r[1]; c++ {
			s = append(s, byte(c), 0x20)
		}
		lonely = append(lonely, utf8Seq{false, s})
	}
	gs = append(gs, utf8Group{"lonely start characters", lonely})
	missing := []string{"\xc0", "\xe0\x80", "\xf0\x80\x80", "\xf8\x80\x80\x80", "\xfc\x80\x80\x80\x80",
		"\xdf", "\xef\xbf", "\xf7\xbf\xbf", "\xfb\xbf\xbf\xbf", "\xfd\xbf\xbf\xbf\xbf"}
	var ms []utf8Seq
	var concat string
	for _, s := range missing {
		ms = append(ms, x(s))
		concat += s
	}
	gs = append(gs, utf8Group{"sequences with last continuation byte missing", ms})
	gs = append(gs, utf8Group{"concatenation of incomplete sequences", []utf8Seq{x(concat)}})
	gs = append(gs, utf8Group{"impossible bytes", []utf8Seq{x("\xfe"), x("\xff"), x("\xfe\xfe\xff\xff")}})
	gs = append(gs, utf8Group{"overlong ASCII character", []utf8Seq{
		x("\xc0\xaf"), x("\xe0\x80\xaf"), x("\xf0\x80\x80\xaf"), x("\xf8\x80\x80\x80\xaf"), x("\xfc\x80\x80\x80\x80\xaf")}})
	gs = append(gs, utf8Group{"maximum overlong sequences", []utf8Seq{
		x("\xc1\xbf"), x("\xe0\x9f\xbf"), x("\xf0\x8f\xbf\xbf"), x("\xf8\x87\xbf\xbf\xbf"), x("\xfc\x83\xbf\xbf\xbf\xbf")}})
	gs = append(gs, utf8Group{"overlong NUL", []utf8Seq{
		x("\xc0\x80"), x("\xe0\x80\x80"), x("\xf0\x80\x80\x80"), x("\xf8\x80\x80\x80\x80"), x("\xfc\x80\x80\x80\x80\x80")}})
	gs = append(gs, utf8Group{"single UTF-16 surrogates", []utf8Seq{
		x("\xed\xa0\x80"), x("\xed\xad\xbf"), x("\xed\xae\x80"), x("\xed\xaf\xbf"), x("\xed\xb0\x80"), x("\xed\xbe\x80"), x("\xed\xbf\xbf")}})
	gs = append(gs, utf8Group{"paired UTF-16 surrogates", []utf8Seq{
		x("\xed\xa0\x80\xed\xb0\x80"), x("\xed\xa0\x80\xed\xbf\xbf"), x("\xed\xad\xbf\xed\xb0\x80"), x("\xed\xad\xbf\xed\xbf\xbf"),
		x("\xed\xae\x80\xed\xb0\x80"), x("\xed\xae\x80\xed\xbf\xbf"), x("\xed\xaf\xbf\xed\xb0\x80"), x("\xed\xaf\xbf\xed\xbf\xbf")}})
	nonchars := []utf8Seq{v("\xef\xbf\xbe"), v("\xef\xbf\xbf")}
	for _, z1 := range []byte{0xf0, 0xf1, 0xf2, 0xf3, 0xf4} {
		for _, z2 := range []byte{0x8f, 0x9f, 0xaf, 0xbf} {
			if z1 == 0xf4 && z2 != 0x8f {
				continue // above U+10FFFF
			}
			for _, z3 := range []byte{0xbe, 0xbf} {
				if z1 == 0xf0 && z2 == 0x8f {
					continue // overlong
				}
				nonchars = append(nonchars, utf8Seq{true, []byte{z1, z2, 0xbf, z3}})
			}
		}
	}
	gs = append(gs, utf8Group{"non-character code points (valid UTF-8)", nonchars})
	gs = append(gs, utf8Group{"Unicode specials (valid UTF-8)", []utf8Seq{
		v("\xef\xbf\xb9"), v("\xef\xbf\xba"), v("\xef\xbf\xbb"), v("\xef\xbf\xbc"), v("\xef\xbf\xbd"), v("\xef\xbf\xbe"), v("\xef\xbf\xbf")}})
	return gs
}

// failFast sends the rest of an invalid text message in two steps and checks
// when the 1007 arrives: a strict target fails as soon as it has seen the
// byte that makes the message invalid, before the rest is sent.
func failFast(p *peer, afterBad, rest []byte) {
	p.send(afterBad)
	if p.opts.LateUTF8 {
		p.deviation("LateUTF8: sending the rest of the message before expecting 1007")
		p.send(rest)
		p.expectFail(CloseInvalidPayload)
		return
	}
	ev := p.next(p.timeout)
	p.checkClose(ev, []int{CloseInvalidPayload}, "expected 1007 as soon as the invalid byte arrived (before the rest of the message was sent)")
}

func utf8Cases() []*testCase {
	valid := []byte("Hello-\xc2\xb5@\xc3\x9f\xc3\xb6\xc3\xa4\xc3\xbc\xc3\xa0\xc3\xa1-UTF-8!!")
	bad3 := bytes.Join([][]byte{kosme, []byte("\xed\xa0\x80"), []byte("edited")}, nil)
	cs := []*testCase{
		{id: "6.1.1", desc: "send an empty text message; expect an empty text echo", run: func(p *peer) {
			p.sendMessage(OpText, nil)
			p.expectMessage(OpText, nil)
		}},
		{id: "6.1.2", desc: "send an empty text message in 3 empty fragments; expect an empty text echo", run: func(p *peer) {
			p.send(p.frame(false, 0, OpText, nil), p.frame(false, 0, OpContinuation, nil), p.frame(true, 0, OpContinuation, nil))
			p.expectMessage(OpText, nil)
		}},
		{id: "6.1.3", desc: "send a text message in 3 fragments, the first and last empty; expect the echo", run: func(p *peer) {
			p.send(p.frame(false, 0, OpText, nil), p.frame(false, 0, OpContinuation, []byte("middle frame payload")), p.frame(true, 0, OpContinuation, nil))
			p.expectMessage(OpText, []byte("middle frame payload"))
		}},
		{id: "6.2.1", desc: "send valid multi-byte UTF-8 in one frame; expect the echo", run: func(p *peer) {
			p.sendMessage(OpText, valid)
			p.expectMessage(OpText, valid)
		}},
		{id: "6.2.2", desc: "send valid UTF-8 in 2 fragments split on a code point boundary; expect the echo", run: func(p *peer) {
			p.send(p.frame(false, 0, OpText, valid[:15]), p.frame(true, 0, OpContinuation, valid[15:]))
			p.expectMessage(OpText, valid)
		}},
		{id: "6.2.3", desc: "send valid UTF-8 in one frame, one byte per TCP segment; expect the echo", run: func(p *peer) {
			p.sendChopped(p.frame(true, 0, OpText, valid), 1, octetDelay)
			p.expectMessage(OpText, valid)
		}},
		{id: "6.2.4", desc: "send κόσμε as 11 one-byte fragments (frames end inside code points); expect the echo", run: func(p *peer) {
			p.send(oneByteFragments(p, kosme)...)
			p.expectMessage(OpText, kosme)
		}},
		{id: "6.3.1", desc: "send invalid UTF-8 (a UTF-16 surrogate) in one frame; expect close 1007", run: func(p *peer) {
			p.sendMessage(OpText, bad3)
			p.expectFail(CloseInvalidPayload)
		}},
		{id: "6.3.2", desc: "send the same invalid UTF-8 as one-byte fragments; expect close 1007", run: func(p *peer) {
			p.send(oneByteFragments(p, bad3)...)
			p.expectFail(CloseInvalidPayload)
		}},
	}
	// 6.4: fail fast. PART2 makes the message invalid; PART1 and PART3 are
	// valid on their own.
	part1, part2, part3 := kosme, []byte("\xf4\x90\x80\x80"), []byte("edited")
	whole := bytes.Join([][]byte{part1, part2, part3}, nil)
	cs = append(cs,
		&testCase{id: "6.4.1", desc: "send a text message in 3 frames: κόσμε, then F4 90 80 80 (> U+10FFFF), then 'edited'; expect 1007 after the 2nd frame, before the 3rd is sent", run: func(p *peer) {
			p.send(p.frame(false, 0, OpText, part1), p.frame(true, 0, OpPing, []byte("probe")))
			p.expectPong([]byte("probe"))
			failFast(p, p.frame(false, 0, OpContinuation, part2), p.frame(true, 0, OpContinuation, part3))
		}},
		&testCase{id: "6.4.2", desc: "as 6.4.1 but the 2nd frame ends right after the byte that makes the message invalid (F4 | 90); expect 1007 after the 2nd frame", run: func(p *peer) {
			p.send(p.frame(false, 0, OpText, whole[:12]), p.frame(true, 0, OpPing, []byte("probe")))
			p.expectPong([]byte("probe"))
			failFast(p, p.frame(false, 0, OpContinuation, whole[12:13]), p.frame(true, 0, OpContinuation, whole[13:]))
		}},
		&testCase{id: "6.4.3", desc: "as 6.4.1 but as 3 chops of one frame; expect 1007 after the 2nd chop, before the rest of the frame is sent", run: func(p *peer) {
			f := p.frame(true, 0, OpText, whole)
			h := len(f) - len(whole)
			p.send(f[:h+len(part1)])
			p.sleepAfterWrites(frameDelay)
			failFast(p, f[h+len(part1):h+len(part1)+len(part2)], f[h+len(part1)+len(part2):])
		}},
		&testCase{id: "6.4.4", desc: "as 6.4.2 but as chops of one frame; expect 1007 right after the chop holding byte 0x90", run: func(p *peer) {
			f := p.frame(true, 0, OpText, whole)
			h := len(f) - len(whole)
			p.send(f[:h+12])
			p.sleepAfterWrites(frameDelay)
			failFast(p, f[h+12:h+13], f[h+13:])
		}},
	)
	for gi, g := range utf8Groups() {
		for si, s := range g.seqs {
			id := fmt.Sprintf("6.%d.%d", gi+5, si+1)
			if s.valid {
				cs = append(cs, &testCase{
					id:   id,
					desc: fmt.Sprintf("%s: send valid UTF-8 % x in one frame; expect the echo", g.name, s.b),
					run: func(p *peer) {
						p.sendMessage(OpText, s.b)
						p.expectMessage(OpText, s.b)
					},
				})
			} else {
				cs = append(cs, &testCase{
					id:   id,
					desc: fmt.Sprintf("%s: send invalid UTF-8 % x in one frame; expect close 1007", g.name, s.b),
					run: func(p *peer) {
						p.sendMessage(OpText, s.b)
						p.expectFail(CloseInvalidPayload)
					},
				})
			}
			if len(s.b) > 1 {
				cs = append(cs, splitCase(id, g.name, s))
			}
		}
	}
	return cs
}

func oneByteFragments(p *peer, b []byte) [][]byte {
	var fs [][]byte
	for i := range b {
		op := OpContinuation
		if i == 0 {
			op = OpText
		}
		fs = append(fs, p.frame(i == len(b)-1, 0, op, b[i:i+1]))
	}
	return fs
}

// splitCase (golua addition) sends the sequence split at every byte
// boundary k, both as two fragments with a ping between them and as one
// frame written in two chops. For invalid sequences a strict target must
// fail with 1007 as soon as the byte that makes the sequence invalid has
// arrived: when it is in the first part, the close comes before the second
// part is sent (and the ping after it is not answered); otherwise the first
// part is accepted (the ping is answered) and the close comes after the rest.
func splitCase(id, group string, s utf8Seq) *testCase {
	failAt, _ := utf8FailIndex(s.b)
	desc := fmt.Sprintf("%s: send % x split at every byte boundary, as 2 fragments with a ping between and as 2 chops of one frame; ", group, s.b)
	if s.valid {
		desc += "expect each pong and echo"
	} else if failAt >= 0 {
		desc += fmt.Sprintf("expect 1007 as soon as byte %d has arrived", failAt)
	} else {
		desc += "expect 1007 once the message is complete (it ends inside a code point)"
	}
	return &testCase{id: id + "-split", desc: desc, run: func(p *peer) {
		splits := make([]int, 0, len(s.b))
		for k := 1; k < len(s.b); k++ {
			// With QuickSplits only the boundaries around the failure point
			// (and the middle of valid sequences) are tried.
			if p.opts.QuickSplits && k != failAt && k != failAt+1 && k != len(s.b)/2 {
				continue
			}
			splits = append(splits, k)
		}
		for i, k := range splits {
			probe := fmt.Appendf(nil, "probe-%d", k)
			if s.valid {
				p.send(p.frame(false, 0, OpText, s.b[:k]), p.frame(true, 0, OpPing, probe), p.frame(true, 0, OpContinuation, s.b[k:]))
				p.expectPong(probe)
				p.expectMessage(OpText, s.b)
				f := p.frame(true, 0, OpText, s.b)
				h := len(f) - len(s.b)
				p.send(f[:h+k])
				p.sleepAfterWrites(octetDelay)
				p.send(f[h+k:])
				p.expectMessage(OpText, s.b)
				continue
			}
			// Invalid: as fragments.
			if i > 0 {
				p.reconnect()
			}
			p.send(p.frame(false, 0, OpText, s.b[:k]), p.frame(true, 0, OpPing, probe))
			if failAt >= 0 && failAt < k && !p.opts.LateUTF8 {
				ev := p.next(p.timeout)
				p.checkClose(ev, []int{CloseInvalidPayload}, fmt.Sprintf("split at %d as fragments: expected 1007 after the first fragment (invalid at byte %d), with no pong", k, failAt))
			} else {
				p.expectPong(probe)
				p.send(p.frame(true, 0, OpContinuation, s.b[k:]))
				p.expectFail(CloseInvalidPayload)
			}
			// Invalid: as chops of one frame.
			p.reconnect()
			f := p.frame(true, 0, OpText, s.b)
			h := len(f) - len(s.b)
			p.send(f[:h+k])
			if failAt >= 0 && failAt < k && !p.opts.LateUTF8 {
				ev := p.next(p.timeout)
				p.checkClose(ev, []int{CloseInvalidPayload}, fmt.Sprintf("split at %d inside one frame: expected 1007 before the rest of the frame was sent (invalid at byte %d)", k, failAt))
			} else {
				p.sleepAfterWrites(octetDelay)
				p.send(f[h+k:])
				p.expectFail(CloseInvalidPayload)
			}
		}
	}}
}
