package rfc6455

import (
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// extension is one element of a Sec-WebSocket-Extensions header.
type extension struct {
	name   string
	params []extParam
}

type extParam struct {
	key, value string
	hasValue   bool
}

func (e extension) String() string {
	var sb strings.Builder
	sb.WriteString(e.name)
	for _, p := range e.params {
		sb.WriteString("; ")
		sb.WriteString(p.key)
		if p.hasValue {
			sb.WriteString("=")
			sb.WriteString(p.value)
		}
	}
	return sb.String()
}

// parseExtensions splits a Sec-WebSocket-Extensions value (RFC 6455 section
// 9.1), unquoting quoted parameter values.
func parseExtensions(h string) ([]extension, error) {
	var out []extension
	for _, elem := range strings.Split(h, ",") {
		elem = strings.TrimSpace(elem)
		if elem == "" {
			continue
		}
		parts := strings.Split(elem, ";")
		e := extension{name: strings.TrimSpace(parts[0])}
		if e.name == "" {
			return nil, fmt.Errorf("extension element %q without a name", elem)
		}
		for _, p := range parts[1:] {
			p = strings.TrimSpace(p)
			if p == "" {
				return nil, fmt.Errorf("empty parameter in %q", elem)
			}
			k, v, has := strings.Cut(p, "=")
			ep := extParam{key: strings.TrimSpace(k), hasValue: has}
			if has {
				v = strings.TrimSpace(v)
				if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
					v = v[1 : len(v)-1]
				}
				ep.value = v
			}
			e.params = append(e.params, ep)
		}
		out = append(out, e)
	}
	return out, nil
}

// deflateParams are the permessage-deflate parameters of one offer or one
// response (RFC 7692 section 7.1). Window bits are 0 when absent and -1 for
// client_max_window_bits present without a value (offers only).
type deflateParams struct {
	serverNoContextTakeover bool
	clientNoContextTakeover bool
	serverMaxWindowBits     int
	clientMaxWindowBits     int
}

func (d deflateParams) String() string {
	e := extension{name: "permessage-deflate"}
	if d.serverNoContextTakeover {
		e.params = append(e.params, extParam{key: "server_no_context_takeover"})
	}
	if d.clientNoContextTakeover {
		e.params = append(e.params, extParam{key: "client_no_context_takeover"})
	}
	if d.serverMaxWindowBits != 0 {
		e.params = append(e.params, extParam{key: "server_max_window_bits", value: strconv.Itoa(d.serverMaxWindowBits), hasValue: true})
	}
	switch {
	case d.clientMaxWindowBits > 0:
		e.params = append(e.params, extParam{key: "client_max_window_bits", value: strconv.Itoa(d.clientMaxWindowBits), hasValue: true})
	case d.clientMaxWindowBits < 0:
		e.params = append(e.params, extParam{key: "client_max_window_bits"})
	}
	return e.String()
}

// parseDeflateParams validates the parameters of a permessage-deflate
// element. response selects the stricter rules for a server's response
// (client_max_window_bits needs a value there).
func parseDeflateParams(e extension, response bool) (deflateParams, error) {
	var d deflateParams
	seen := map[string]bool{}
	for _, p := range e.params {
		if seen[p.key] {
			return d, fmt.Errorf("duplicate parameter %s", p.key)
		}
		seen[p.key] = true
		switch p.key {
		case "server_no_context_takeover", "client_no_context_takeover":
			if p.hasValue {
				return d, fmt.Errorf("%s must not have a value", p.key)
			}
			if p.key == "server_no_context_takeover" {
				d.serverNoContextTakeover = true
			} else {
				d.clientNoContextTakeover = true
			}
		case "server_max_window_bits", "client_max_window_bits":
			if !p.hasValue {
				if p.key == "server_max_window_bits" || response {
					return d, fmt.Errorf("%s needs a value", p.key)
				}
				d.clientMaxWindowBits = -1
				continue
			}
			n, err := strconv.Atoi(p.value)
			if err != nil || n < 8 || n > 15 || p.value[0] == '0' {
				return d, fmt.Errorf("%s=%q is not 8..15", p.key, p.value)
			}
			if p.key == "server_max_window_bits" {
				d.serverMaxWindowBits = n
			} else {
				d.clientMaxWindowBits = n
			}
		default:
			return d, fmt.Errorf("unknown parameter %q", p.key)
		}
	}
	return d, nil
}

// responseMatchesOffer checks RFC 7692 section 7.1 rules that tie a server's
// response to the client's offer.
func responseMatchesOffer(offer, resp deflateParams) error {
	if offer.serverNoContextTakeover && !resp.serverNoContextTakeover {
		return errors.New("offer has server_no_context_takeover but the response does not")
	}
	if offer.serverMaxWindowBits > 0 {
		if resp.serverMaxWindowBits == 0 {
			return fmt.Errorf("offer has server_max_window_bits=%d but the response does not", offer.serverMaxWindowBits)
		}
		if resp.serverMaxWindowBits > offer.serverMaxWindowBits {
			return fmt.Errorf("response server_max_window_bits=%d exceeds offered %d", resp.serverMaxWindowBits, offer.serverMaxWindowBits)
		}
	}
	if resp.clientMaxWindowBits != 0 {
		if offer.clientMaxWindowBits == 0 {
			return errors.New("response has client_max_window_bits the offer did not include")
		}
		if offer.clientMaxWindowBits > 0 && resp.clientMaxWindowBits > offer.clientMaxWindowBits {
			return fmt.Errorf("response client_max_window_bits=%d exceeds offered %d", resp.clientMaxWindowBits, offer.clientMaxWindowBits)
		}
	}
	return nil
}

// deflateSession is the negotiated state of one connection, seen from the
// suite's raw peer: how it compresses what it sends and decompresses what
// the target sends.
type deflateSession struct {
	params    deflateParams
	out       compressor
	in        decompressor
	suiteSide string // "client" or "server": which half of the params is ours
}

func newDeflateSession(p deflateParams, weAreClient bool) *deflateSession {
	s := &deflateSession{params: p}
	ourNoCtx, ourBits := p.clientNoContextTakeover, p.clientMaxWindowBits
	theirNoCtx, theirBits := p.serverNoContextTakeover, p.serverMaxWindowBits
	s.suiteSide = "client"
	if !weAreClient {
		ourNoCtx, ourBits, theirNoCtx, theirBits = theirNoCtx, theirBits, ourNoCtx, ourBits
		s.suiteSide = "server"
	}
	if ourBits <= 0 {
		ourBits = 15
	}
	if theirBits <= 0 {
		theirBits = 15
	}
	s.out = compressor{noContext: ourNoCtx, windowBits: ourBits}
	s.in = decompressor{noContext: theirNoCtx, windowBits: theirBits}
	return s
}

// compressor compresses messages the raw peer sends. With a window smaller
// than flate's 32 KiB it uses Huffman-only blocks, which contain no
// back-references at all and so respect any window size.
type compressor struct {
	noContext  bool
	windowBits int
	w          *flate.Writer
	buf        bytes.Buffer
}

func (c *compressor) compress(msg []byte) []byte {
	if c.w == nil || c.noContext {
		c.buf.Reset()
		level := flate.BestSpeed
		if c.windowBits < 15 {
			level = flate.HuffmanOnly
		}
		if c.w == nil {
			c.w, _ = flate.NewWriter(&c.buf, level) // error only for a bad level
		} else {
			c.w.Reset(&c.buf)
		}
	}
	c.buf.Reset()
	c.w.Write(msg)
	c.w.Flush()
	out := bytes.Clone(c.buf.Bytes())
	// RFC 7692 section 7.2.1: drop the 0x00 0x00 0xFF 0xFF the sync flush ends with.
	return bytes.TrimSuffix(out, []byte{0, 0, 0xFF, 0xFF})
}

// decompressor inflates messages the target sends. With context takeover it
// keeps the last 2^windowBits bytes of output as the dictionary of the next
// message, so a back-reference beyond the negotiated window into an earlier
// message is reported as corrupt input.
type decompressor struct {
	noContext  bool
	windowBits int
	dict       []byte
}

// syncTail restores the removed sync-flush block and appends an empty final
// stored block so the flate reader ends cleanly (RFC 7692 section 7.2.2).
var syncTail = []byte{0, 0, 0xFF, 0xFF, 1, 0, 0, 0xFF, 0xFF}

func (d *decompressor) decompress(payload []byte, limit int) ([]byte, error) {
	r := flate.NewReaderDict(io.MultiReader(bytes.NewReader(payload), bytes.NewReader(syncTail)), d.dict)
	out, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if err != nil {
		return nil, fmt.Errorf("inflate (%s context, %d window bits): %w", ctxWord(d.noContext), d.windowBits, err)
	}
	if len(out) > limit {
		return nil, fmt.Errorf("inflated message exceeds %d bytes", limit)
	}
	if !d.noContext {
		w := 1 << d.windowBits
		d.dict = append(d.dict, out...)
		if len(d.dict) > w {
			d.dict = append([]byte(nil), d.dict[len(d.dict)-w:]...)
		}
	}
	return out, nil
}

func ctxWord(noContext bool) string {
	if noContext {
		return "no"
	}
	return "with"
}
