package rfc6455

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
)

// deflateVariant is one permessage-deflate negotiation: what the suite offers
// when it is the client, and how it answers a client's offer when it is the
// server.
type deflateVariant struct {
	// offer is the Sec-WebSocket-Extensions the raw client sends.
	offer string
	// mayDecline: the offer asks for a server window below 15 bits, which
	// RFC 7692 7.1.2.1 lets a server decline; the case then checks that the
	// connection works uncompressed.
	mayDecline bool
	// answer builds the raw server's response from the client's first
	// acceptable offer; a non-empty skip means the client's offer does not
	// allow this variant.
	answer func(offer deflateParams) (resp deflateParams, skip string)
	what   string
}

// checkResponse validates the server's response to v.offer (server role)
// and returns the session, or nil if the server declined.
func (v *deflateVariant) checkResponse(p *peer, ext string) *deflateSession {
	p.t.Helper()
	offers, err := parseExtensions(v.offer)
	if err != nil {
		p.fatalf("suite bug: bad offer %q: %v", v.offer, err)
	}
	if ext == "" {
		if v.mayDecline {
			p.t.Logf("server declined %q (allowed by RFC 7692 7.1.2.1); checking the uncompressed path", v.offer)
			return nil
		}
		p.fatalf("server declined the permessage-deflate offer %q", v.offer)
	}
	resp, err := parseExtensions(ext)
	if err != nil || len(resp) != 1 || resp[0].name != "permessage-deflate" {
		p.fatalf("server answered %q with Sec-WebSocket-Extensions %q: want exactly one permessage-deflate element (%v)", v.offer, ext, err)
	}
	rp, err := parseDeflateParams(resp[0], true)
	if err != nil {
		p.fatalf("server's permessage-deflate response %q is invalid: %v", ext, err)
	}
	var why []string
	for _, o := range offers {
		op, err := parseDeflateParams(o, false)
		if err != nil {
			p.fatalf("suite bug: bad offer %q: %v", v.offer, err)
		}
		if err := responseMatchesOffer(op, rp); err != nil {
			why = append(why, err.Error())
			continue
		}
		if op.clientMaxWindowBits > 0 && (rp.clientMaxWindowBits == 0 || rp.clientMaxWindowBits > op.clientMaxWindowBits) {
			rp.clientMaxWindowBits = op.clientMaxWindowBits // we promised no more than we offered
		}
		return newDeflateSession(rp, true)
	}
	p.fatalf("server's response %q matches none of the offers %q: %s", ext, v.offer, strings.Join(why, "; "))
	return nil
}

// respond answers a client's offer (client role).
func (v *deflateVariant) respond(offer string) (string, *deflateSession, string, error) {
	exts, err := parseExtensions(offer)
	if err != nil {
		return "", nil, "", fmt.Errorf("malformed Sec-WebSocket-Extensions %q: %w", offer, err)
	}
	var skips []string
	found := false
	for _, e := range exts {
		if e.name != "permessage-deflate" {
			continue
		}
		found = true
		op, err := parseDeflateParams(e, false)
		if err != nil {
			return "", nil, "", fmt.Errorf("client offered invalid permessage-deflate %q: %w", e, err)
		}
		rp, skip := v.answer(op)
		if skip != "" {
			skips = append(skips, skip)
			continue
		}
		return rp.String(), newDeflateSession(rp, false), "", nil
	}
	if !found {
		return "", nil, "", errors.New("client declared compression but offered no permessage-deflate (Sec-WebSocket-Extensions: " + offer + ")")
	}
	return "", nil, fmt.Sprintf("client's offer %q does not allow this variant: %s", offer, strings.Join(skips, "; ")), nil
}

// mirror answers an offer with what the offer requires (server-side limits)
// and the client's own no-context-takeover hint.
func mirror(o deflateParams) deflateParams {
	return deflateParams{
		serverNoContextTakeover: o.serverNoContextTakeover,
		clientNoContextTakeover: o.clientNoContextTakeover,
		serverMaxWindowBits:     o.serverMaxWindowBits,
	}
}

func clientWindow(bits int, noCtx bool) func(o deflateParams) (deflateParams, string) {
	return func(o deflateParams) (deflateParams, string) {
		r := mirror(o)
		r.clientNoContextTakeover = r.clientNoContextTakeover || noCtx
		if bits > 0 {
			if o.clientMaxWindowBits == 0 {
				return r, "no client_max_window_bits in the offer, so the server may not set it (RFC 7692 7.1.2.2)"
			}
			r.clientMaxWindowBits = bits
			if o.clientMaxWindowBits > 0 && o.clientMaxWindowBits < bits {
				r.clientMaxWindowBits = o.clientMaxWindowBits
			}
		}
		return r, ""
	}
}

// deflateVariants are Autobahn 13.1-13.7: the offers a client makes when the
// target is a server, and the answers the server gives when the target is a
// client.
func deflateVariants() []*deflateVariant {
	const cmwb = "permessage-deflate; client_max_window_bits"
	return []*deflateVariant{
		{what: "default offer / plain accept", offer: cmwb, answer: clientWindow(0, false)},
		{what: "offer server_no_context_takeover / answer client_no_context_takeover", offer: cmwb + "; server_no_context_takeover", answer: clientWindow(0, true)},
		{what: "offer server_max_window_bits=8 / answer client_max_window_bits=8", offer: cmwb + "; server_max_window_bits=8", mayDecline: true, answer: clientWindow(8, false)},
		{what: "offer server_max_window_bits=15 / answer client_max_window_bits=15", offer: cmwb + "; server_max_window_bits=15", answer: clientWindow(15, false)},
		{what: "offer server_no_context_takeover, server_max_window_bits=8 / answer client_no_context_takeover, client_max_window_bits=8", offer: cmwb + "; server_no_context_takeover; server_max_window_bits=8", mayDecline: true, answer: clientWindow(8, true)},
		{what: "offer server_no_context_takeover, server_max_window_bits=15 / answer client_no_context_takeover, client_max_window_bits=15", offer: cmwb + "; server_no_context_takeover; server_max_window_bits=15", answer: clientWindow(15, true)},
		{what: "three offers in order of preference / answer with both no_context_takeover", offer: "permessage-deflate; server_no_context_takeover; server_max_window_bits=8, permessage-deflate; server_no_context_takeover, permessage-deflate",
			answer: func(o deflateParams) (deflateParams, string) {
				r := mirror(o)
				r.serverNoContextTakeover, r.clientNoContextTakeover = true, true
				return r, ""
			}},
	}
}

// corpus is deterministic test data: compressible JSON-like text,
// compressible binary and incompressible binary, 256 KiB each.
type corpus struct {
	name   string
	op     byte
	data   []byte
	cursor int
}

func newCorpus(kind int) *corpus {
	const size = 256 << 10
	r := rand.New(rand.NewPCG(uint64(kind)+1, 6455))
	var b []byte
	switch kind {
	case 0:
		var sb strings.Builder
		words := []string{"alpha", "beta", "gamma", "delta", "websocket", "golua", "frame", "deflate", "κόσμε", "Grüße"}
		for i := 0; sb.Len() < size; i++ {
			fmt.Fprintf(&sb, `{"id":%d,"name":"%s-%d","tags":["%s","%s"],"score":%d.%02d},`+"\n",
				i, words[r.IntN(len(words))], r.IntN(1000), words[r.IntN(len(words))], words[r.IntN(len(words))], r.IntN(100), r.IntN(100))
		}
		// Cut on an ASCII byte so every slice of the ring is valid UTF-8
		// when messages are taken on the newline grid (see next).
		b = []byte(sb.String())
		return &corpus{name: "JSON-like text", op: OpText, data: b}
	case 1:
		b = make([]byte, size)
		for i := range b {
			b[i] = byte(i/64) ^ byte(r.IntN(4)) // runs with little noise
		}
		return &corpus{name: "compressible binary", op: OpBinary, data: b}
	default:
		b = make([]byte, size)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		return &corpus{name: "random binary", op: OpBinary, data: b}
	}
}

// next returns the next n bytes of the corpus, wrapping around. Text slices
// are trimmed to valid UTF-8 boundaries by backing off at most 3 bytes at
// each end and padding with ASCII.
func (c *corpus) next(n int) []byte {
	out := make([]byte, 0, n)
	for len(out) < n {
		k := min(n-len(out), len(c.data)-c.cursor)
		out = append(out, c.data[c.cursor:c.cursor+k]...)
		c.cursor = (c.cursor + k) % len(c.data)
	}
	if c.op == OpText {
		for i := range out {
			if out[i] >= 0x80 {
				out[i] = '.' // keep lengths exact; multibyte runs become ASCII
			}
		}
		// Restore real multi-byte text in the middle, where it cannot be cut.
		if n >= 16 {
			copy(out[n/2-6:], "κόσμε")
		}
	}
	return out
}

type msgSpec struct{ size, count, frag int }

func compressionCases() []*testCase {
	var cs []*testCase
	run := func(kind int, specs msgSpec) func(p *peer) {
		return func(p *peer) {
			c := newCorpus(kind)
			compressedIn := 0
			for range specs.count {
				msg := c.next(specs.size)
				p.send(p.message(c.op, msg, specs.frag, true))
				ev := p.next(p.timeoutFor(len(msg)))
				if ev.kind != evMessage || ev.op != c.op || string(ev.payload) != string(msg) {
					p.fatalf("expected echo: %s message of %d bytes; got %s%s", OpName(c.op), len(msg), ev, p.firstDiff(ev, msg))
				}
				if p.lastCompressed {
					compressedIn++
				}
			}
			if p.defl != nil && compressedIn == 0 && specs.size >= 256 {
				p.t.Logf("note: permessage-deflate was negotiated (%s) but the target compressed none of its %d echoes", p.defl.params, specs.count)
			}
		}
	}
	// 12.x: default negotiation, three kinds of data, sizes and fragmentation.
	sizes12 := []msgSpec{{16, 100, 0}, {64, 100, 0}, {256, 100, 0}, {1024, 100, 0}, {4096, 50, 0}, {16384, 20, 0},
		{65536, 10, 0}, {131072, 5, 0}, {8192, 20, 256}, {65536, 10, 256}, {131072, 5, 1024}, {131072, 5, 32768}}
	v12 := deflateVariants()[0]
	for kind := range 3 {
		name := newCorpus(kind).name
		for i, s := range sizes12 {
			cs = append(cs, &testCase{
				id:      fmt.Sprintf("12.%d.%d", kind+1, i+1),
				size:    s.size,
				deflate: v12,
				desc:    fmt.Sprintf("permessage-deflate (%s): send %d compressed %s messages of %d bytes (fragments of %d, 0 = none), each after the previous echo; expect every echo", v12.what, s.count, name, s.size, s.frag),
				run:     run(kind, s),
			})
		}
	}
	// 13.x: negotiation variants with JSON-like text.
	sizes13 := []msgSpec{{16, 50, 0}, {256, 50, 0}, {1024, 50, 0}, {4096, 20, 0}, {65536, 5, 0}, {131072, 5, 4096}}
	for vi, v := range deflateVariants() {
		for i, s := range sizes13 {
			cs = append(cs, &testCase{
				id:      fmt.Sprintf("13.%d.%d", vi+1, i+1),
				size:    s.size,
				deflate: v,
				desc:    fmt.Sprintf("permessage-deflate %s: send %d compressed text messages of %d bytes (fragments of %d, 0 = none); expect every echo, inflating with the negotiated context and window", v.what, s.count, s.size, s.frag),
				run:     run(0, s),
			})
		}
	}
	return cs
}
