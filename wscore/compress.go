package wscore

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/klauspost/compress/flate"
)

// CompressionOptions enables and tunes permessage-deflate (RFC 7692) in
// AcceptOptions and DialOptions. A nil *CompressionOptions disables it.
//
// Go's flate compressor always uses a 32 KiB window. When the peer limits
// our compressor's window (server_max_window_bits for a server,
// client_max_window_bits for a client) to fewer than 15 bits, wscore honours
// the limit by compressing with Huffman coding only (no back-references),
// which is valid for every window size. The inflater accepts any window.
type CompressionOptions struct {
	// ServerNoContextTakeover makes the server reset its compressor after
	// every message (a client requests it; a server always grants it).
	ServerNoContextTakeover bool
	// ClientNoContextTakeover makes the client reset its compressor after
	// every message (a client offers it; a server requests it).
	ClientNoContextTakeover bool
	// ServerMaxWindowBits (8-15, 0 = unset) is requested by a client.
	ServerMaxWindowBits int
	// ClientMaxWindowBits (8-15, 0 = unset) is imposed by a server that
	// receives client_max_window_bits in the offer.
	ClientMaxWindowBits int
	// Level is the flate level (1-9, or flate.HuffmanOnly = -2); 0 means 1
	// (best speed).
	Level int
	// Threshold: messages shorter than this are sent uncompressed. 0 means
	// 128; negative means compress every message.
	Threshold int
}

// deflateParams is a negotiated permessage-deflate configuration.
type deflateParams struct {
	serverNoTakeover bool
	clientNoTakeover bool
	serverMaxBits    int // 0: not present
	clientMaxBits    int // 0: not present; -1: present without a value (offer)
}

func (p deflateParams) String() string {
	var b strings.Builder
	b.WriteString("permessage-deflate")
	if p.serverNoTakeover {
		b.WriteString("; server_no_context_takeover")
	}
	if p.clientNoTakeover {
		b.WriteString("; client_no_context_takeover")
	}
	if p.serverMaxBits > 0 {
		b.WriteString("; server_max_window_bits=" + strconv.Itoa(p.serverMaxBits))
	}
	if p.clientMaxBits > 0 {
		b.WriteString("; client_max_window_bits=" + strconv.Itoa(p.clientMaxBits))
	} else if p.clientMaxBits < 0 {
		b.WriteString("; client_max_window_bits")
	}
	return b.String()
}

// extension is one element of a Sec-WebSocket-Extensions list.
type extension struct {
	name   string
	params [][2]string // name, value ("" when absent)
}

// parseExtensions parses Sec-WebSocket-Extensions header values.
func parseExtensions(values []string) ([]extension, error) {
	var out []extension
	for _, v := range values {
		for _, item := range strings.Split(v, ",") {
			item = strings.TrimSpace(item)
			if item == "" {
				continue
			}
			parts := strings.Split(item, ";")
			e := extension{name: strings.ToLower(strings.TrimSpace(parts[0]))}
			if !isToken(e.name) {
				return nil, fmt.Errorf("bad extension name %q", parts[0])
			}
			for _, p := range parts[1:] {
				p = strings.TrimSpace(p)
				name, val, hasVal := strings.Cut(p, "=")
				name = strings.ToLower(strings.TrimSpace(name))
				val = strings.TrimSpace(val)
				if hasVal && len(val) >= 2 && val[0] == '"' && val[len(val)-1] == '"' {
					val = val[1 : len(val)-1]
				}
				if !isToken(name) || (hasVal && !isToken(val)) {
					return nil, fmt.Errorf("bad extension parameter %q", p)
				}
				e.params = append(e.params, [2]string{name, val})
			}
			out = append(out, e)
		}
	}
	return out, nil
}

func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("()<>@,;:\\\"/[]?={}", c) >= 0 {
			return false
		}
	}
	return true
}

// parseDeflateParams validates one permessage-deflate element. For an
// offer, client_max_window_bits may come without a value (-1).
func parseDeflateParams(e extension, offer bool) (deflateParams, error) {
	var p deflateParams
	seen := map[string]bool{}
	for _, kv := range e.params {
		name, val := kv[0], kv[1]
		if seen[name] {
			return p, fmt.Errorf("duplicate parameter %s", name)
		}
		seen[name] = true
		switch name {
		case "server_no_context_takeover", "client_no_context_takeover":
			if val != "" {
				return p, fmt.Errorf("parameter %s takes no value", name)
			}
			if name[0] == 's' {
				p.serverNoTakeover = true
			} else {
				p.clientNoTakeover = true
			}
		case "server_max_window_bits", "client_max_window_bits":
			bits := -1
			if val != "" {
				n, err := strconv.Atoi(val)
				if err != nil || n < 8 || n > 15 || val[0] == '0' {
					return p, fmt.Errorf("bad %s value %q", name, val)
				}
				bits = n
			} else if name[0] == 's' || !offer {
				return p, fmt.Errorf("parameter %s needs a value", name)
			}
			if name[0] == 's' {
				p.serverMaxBits = bits
			} else {
				p.clientMaxBits = bits
			}
		default:
			return p, fmt.Errorf("unknown parameter %s", name)
		}
	}
	return p, nil
}

// DeflateAgreement is a negotiated permessage-deflate configuration. Accept
// and Dial negotiate it themselves; code that does the opening handshake on
// its own gets one from NegotiateDeflate (server) or AcceptDeflate (client)
// and passes it to NewConnWith.
type DeflateAgreement struct {
	params deflateParams
	opts   CompressionOptions // level and threshold of our compressor
}

// Header returns the agreement as a Sec-WebSocket-Extensions value: what a
// server puts in its 101 response.
func (a *DeflateAgreement) Header() string { return a.params.String() }

// state builds one side's compression state.
func (a *DeflateAgreement) state(client bool) *deflateState {
	return newDeflateState(a.params, client, &a.opts)
}

// NegotiateDeflate is the server side of the negotiation. offers is the
// request's Sec-WebSocket-Extensions value (several header lines joined
// with ", "). It returns the agreement for the first acceptable
// permessage-deflate offer, or nil and no error when there is none (the
// server then answers without the extension, which RFC 7692 allows). A
// malformed header is an error: Accept answers it with 400.
func NegotiateDeflate(offers string, opts *CompressionOptions) (*DeflateAgreement, error) {
	if opts == nil {
		return nil, nil
	}
	return negotiateDeflate([]string{offers}, opts)
}

func negotiateDeflate(values []string, o *CompressionOptions) (*DeflateAgreement, error) {
	exts, err := parseExtensions(values)
	if err != nil {
		return nil, err
	}
	for _, e := range exts {
		if e.name != "permessage-deflate" {
			continue
		}
		p, err := parseDeflateParams(e, true)
		if err != nil {
			continue // decline this offer, try the next
		}
		if o.ServerNoContextTakeover {
			p.serverNoTakeover = true
		}
		if o.ClientNoContextTakeover {
			p.clientNoTakeover = true
		}
		// client_max_window_bits: our inflater reads any window, so only
		// answer it when the server wants to impose a limit.
		if p.clientMaxBits != 0 && o.ClientMaxWindowBits >= 8 && o.ClientMaxWindowBits <= 15 &&
			(p.clientMaxBits < 0 || o.ClientMaxWindowBits < p.clientMaxBits) {
			p.clientMaxBits = o.ClientMaxWindowBits
		} else {
			p.clientMaxBits = 0
		}
		return &DeflateAgreement{params: p, opts: *o}, nil
	}
	return nil, nil
}

// DeflateOffer returns the Sec-WebSocket-Extensions value with which a
// client offers permessage-deflate as opts describe.
func DeflateOffer(opts *CompressionOptions) string {
	var o CompressionOptions
	if opts != nil {
		o = *opts
	}
	p := deflateParams{serverNoTakeover: o.ServerNoContextTakeover, clientNoTakeover: o.ClientNoContextTakeover, clientMaxBits: -1}
	if o.ServerMaxWindowBits >= 8 && o.ServerMaxWindowBits <= 15 {
		p.serverMaxBits = o.ServerMaxWindowBits
	}
	return p.String()
}

// AcceptDeflate is the client side: response is the server's
// Sec-WebSocket-Extensions value ("" when absent) for an offer made with
// DeflateOffer(opts). It returns nil and no error when the server declined,
// and an error when the server accepted an extension that was not offered
// or answered parameters the offer does not allow; the client must then
// fail the connection (RFC 6455 section 4.1). A nil opts means nothing was
// offered.
func AcceptDeflate(response string, opts *CompressionOptions) (*DeflateAgreement, error) {
	var values []string
	if strings.TrimSpace(response) != "" {
		values = []string{response}
	}
	return acceptDeflate(values, opts)
}

func acceptDeflate(values []string, o *CompressionOptions) (*DeflateAgreement, error) {
	exts, err := parseExtensions(values)
	if err != nil {
		return nil, fmt.Errorf("Sec-WebSocket-Extensions: %w", err)
	}
	var agreed *DeflateAgreement
	for _, e := range exts {
		if e.name != "permessage-deflate" || o == nil || agreed != nil {
			return nil, fmt.Errorf("server accepted extension %s that was not offered", e.name)
		}
		p, err := parseDeflateParams(e, false)
		if err != nil {
			return nil, fmt.Errorf("permessage-deflate: %w", err)
		}
		if o.ServerMaxWindowBits > 0 && (p.serverMaxBits == 0 || p.serverMaxBits > o.ServerMaxWindowBits) {
			return nil, errors.New("permessage-deflate: server_max_window_bits not honoured")
		}
		agreed = &DeflateAgreement{params: p, opts: *o}
	}
	return agreed, nil
}

// deflateState is the per-Conn compression state.
type deflateState struct {
	level     int
	threshold int

	// Write side, guarded by Conn.msgMu.
	writeTakeover bool
	fw            *flate.Writer
	out           sliceWriter

	// Read side, guarded by Conn.rmu.
	readTakeover bool
	fr           io.ReadCloser
	src          inflateSrc
	dict         []byte // last 32 KiB of inflated output (context takeover)
}

const flateWindow = 32 << 10

// newDeflateState builds the state for one side of a negotiated
// configuration.
func newDeflateState(p deflateParams, client bool, o *CompressionOptions) *deflateState {
	d := &deflateState{level: flate.BestSpeed, threshold: 128}
	if o != nil {
		if o.Level != 0 {
			d.level = o.Level
		}
		if o.Threshold != 0 {
			d.threshold = o.Threshold
		}
	}
	ourBits := p.serverMaxBits
	if client {
		ourBits = p.clientMaxBits
		d.writeTakeover = !p.clientNoTakeover
		d.readTakeover = !p.serverNoTakeover
	} else {
		d.writeTakeover = !p.serverNoTakeover
		d.readTakeover = !p.clientNoTakeover
	}
	if ourBits > 0 && ourBits < 15 {
		// No back-references at all: fits any window the peer imposes.
		d.level = flate.HuffmanOnly
	}
	return d
}

func (d *deflateState) shouldCompress(n int) bool {
	return d.threshold < 0 || n >= d.threshold
}

// sliceWriter collects compressor output.
type sliceWriter struct{ b []byte }

func (w *sliceWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

// flateWriters pools compressors for connections without context takeover,
// one pool per level (index level+2).
var flateWriters [12]sync.Pool

// compress deflates one message and returns the payload without the
// trailing 0x00 0x00 0xff 0xff (RFC 7692 section 7.2.1). The result aliases
// internal memory valid until the next compress call.
func (d *deflateState) compress(data []byte) ([]byte, error) {
	d.out.b = d.out.b[:0]
	fw := d.fw
	pooled := false
	if fw == nil {
		if !d.writeTakeover && d.level >= -2 && d.level <= 9 {
			if v := flateWriters[d.level+2].Get(); v != nil {
				fw = v.(*flate.Writer)
				fw.Reset(&d.out)
			}
			pooled = true
		}
		if fw == nil {
			var err error
			if fw, err = flate.NewWriter(&d.out, d.level); err != nil {
				return nil, err
			}
		}
	}
	if _, err := fw.Write(data); err != nil {
		return nil, err
	}
	if err := fw.Flush(); err != nil {
		return nil, err
	}
	if d.writeTakeover {
		d.fw = fw
	} else if pooled {
		flateWriters[d.level+2].Put(fw)
	}
	b := d.out.b
	if len(b) >= 4 && b[len(b)-4] == 0 && b[len(b)-3] == 0 && b[len(b)-2] == 0xff && b[len(b)-1] == 0xff {
		b = b[:len(b)-4]
	}
	if cap(d.out.b) > 1<<20 && !d.writeTakeover {
		// Do not keep a huge buffer for one big message.
		out := append([]byte(nil), b...)
		d.out.b = nil
		return out, nil
	}
	return b, nil
}

// inflateTail ends the message's deflate stream: the stripped sync-flush
// marker, then an empty final stored block so the inflater stops cleanly
// instead of waiting for more input.
var inflateTail = [...]byte{0x00, 0x00, 0xff, 0xff, 0x01, 0x00, 0x00, 0xff, 0xff}

// inflateSrc feeds a message and the tail to the inflater without copying;
// it is an io.ByteReader so flate does not wrap it in a bufio.Reader.
type inflateSrc struct {
	a, b []byte
}

func (s *inflateSrc) Read(p []byte) (int, error) {
	if len(s.a) > 0 {
		n := copy(p, s.a)
		s.a = s.a[n:]
		return n, nil
	}
	if len(s.b) > 0 {
		n := copy(p, s.b)
		s.b = s.b[n:]
		return n, nil
	}
	return 0, io.EOF
}

func (s *inflateSrc) ReadByte() (byte, error) {
	if len(s.a) > 0 {
		c := s.a[0]
		s.a = s.a[1:]
		return c, nil
	}
	if len(s.b) > 0 {
		c := s.b[0]
		s.b = s.b[1:]
		return c, nil
	}
	return 0, io.EOF
}

// flateReaders pools inflaters for connections without context takeover.
var flateReaders sync.Pool

// inflate decompresses one message into a pooled buffer, failing with 1009
// as soon as the output would exceed limit (a decompression bomb never
// allocates past the limit) and 1007 on corrupt data.
func (d *deflateState) inflate(in []byte, limit int64) (*pbuf, *ProtocolError) {
	d.src.a, d.src.b = in, inflateTail[:]
	var dict []byte
	if d.readTakeover {
		dict = d.dict
	}
	fr := d.fr
	if fr == nil {
		if v := flateReaders.Get(); v != nil {
			fr = v.(io.ReadCloser)
			_ = fr.(flate.Resetter).Reset(&d.src, dict)
		} else {
			fr = flate.NewReaderDict(&d.src, dict)
		}
	} else {
		_ = fr.(flate.Resetter).Reset(&d.src, dict)
	}
	defer func() {
		d.src.a, d.src.b = nil, nil
		if d.readTakeover {
			d.fr = fr
		} else {
			flateReaders.Put(fr)
		}
	}()
	// A first guess from the compressed size, at most a chunk above it:
	// the buffer then doubles as inflated bytes come out, so memory follows
	// the output (up to the limit) and not a ratio applied to the input.
	size := min(4*len(in), len(in)+payloadChunk)
	if size < 512 {
		size = 512
	}
	// over is one byte past the limit: output that reaches it is too big,
	// so the buffer never needs to be larger. Without a limit (MaxInt64)
	// limit+1 would wrap around.
	over := limit
	if over < math.MaxInt64 {
		over++
	}
	if int64(size) > over {
		size = int(over)
	}
	out := getBuf(size)
	out.b = out.b[:cap(out.b)]
	n := 0
	for {
		if n == len(out.b) {
			if int64(n) > limit {
				putBuf(out)
				return nil, protoErr(StatusMessageTooBig, fmt.Sprintf("inflated message exceeds the limit of %d bytes", limit), ErrMessageTooLarge)
			}
			grow := 2 * n
			if int64(grow) > over {
				grow = int(over)
			}
			out = growBuf(out, n, grow)
			out.b = out.b[:cap(out.b)]
		}
		k, err := fr.Read(out.b[n:])
		n += k
		if err == io.EOF {
			break
		}
		if err != nil {
			putBuf(out)
			var ce flate.CorruptInputError
			if errors.As(err, &ce) || errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, protoErr(StatusInvalidPayload, "corrupt compressed message: "+err.Error(), ErrBadCompression)
			}
			return nil, protoErr(StatusInvalidPayload, "inflate: "+err.Error(), ErrBadCompression)
		}
	}
	if int64(n) > limit {
		putBuf(out)
		return nil, protoErr(StatusMessageTooBig, fmt.Sprintf("inflated message exceeds the limit of %d bytes", limit), ErrMessageTooLarge)
	}
	out.b = out.b[:n]
	if d.readTakeover {
		d.keepWindow(out.b)
	}
	return out, nil
}

// keepWindow retains the last 32 KiB of output as the next message's
// dictionary.
func (d *deflateState) keepWindow(p []byte) {
	if d.dict == nil {
		d.dict = make([]byte, 0, flateWindow)
	}
	if len(p) >= flateWindow {
		d.dict = append(d.dict[:0], p[len(p)-flateWindow:]...)
		return
	}
	if over := len(d.dict) + len(p) - flateWindow; over > 0 {
		copy(d.dict, d.dict[over:])
		d.dict = d.dict[:len(d.dict)-over]
	}
	d.dict = append(d.dict, p...)
}
