package wscore

import (
	"bufio"
	"crypto/rand"
	"encoding/binary"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Default option values, used where an Options field is zero.
const (
	DefaultMaxFramePayload = 16 << 20
	DefaultMaxMessageSize  = 32 << 20
	DefaultCloseTimeout    = 5 * time.Second
	DefaultReadBufferSize  = 4096
	DefaultWriteBufferSize = 4096
)

// Options configures a Conn. The zero value is usable: every zero field takes
// the documented default.
type Options struct {
	// MaxFramePayload limits the payload of one frame, received or sent
	// (eco's max_payload_len). A received frame over it fails the connection
	// with 1009 before any payload is buffered; a frame to be sent over it is
	// refused with ErrFrameTooLarge. Default 16 MiB; negative means no limit.
	// The limits are checked against the length a header announces, but
	// memory is taken as the bytes arrive: a large frame or message starts
	// with a buffer of 64 KiB (or ReadBufferSize, if larger) that grows
	// fourfold when full, so a peer that announces more than it sends gets
	// no more memory than it sends, times four.
	MaxFramePayload int64
	// MaxMessageSize limits a message reassembled by ReadMessage and the
	// inflated size of a compressed message (1009). Default 32 MiB; negative
	// means no limit.
	MaxMessageSize int64
	// AutoPong answers every received ping with a pong carrying the same
	// payload. The ping is still returned to the reader. Default false.
	AutoPong bool
	// ManualCloseReply turns off the automatic echo of a received close
	// frame; the caller then answers with WriteFrame(true, OpClose, ...) or
	// Close. Default false: the close is echoed as RFC 6455 requires.
	ManualCloseReply bool
	// SkipUTF8Validation turns off UTF-8 validation of text messages
	// (close reasons are always validated). Default false.
	SkipUTF8Validation bool
	// CloseTimeout bounds how long Close waits for the peer's close frame
	// and how long a failed connection lingers. Default 5 s.
	CloseTimeout time.Duration
	// ReadBufferSize is the size of the read buffer; frames that fit are
	// parsed in place without a copy. The buffer comes from a pool shared
	// by all connections and is held only while bytes are buffered: a Conn
	// waiting for its peer holds none. Default 4096.
	ReadBufferSize int
	// WriteBufferSize is the size of the write staging buffer; frames that
	// fit go out in a single write system call. The buffer is taken from a
	// pool for the duration of one frame write. Default 4096.
	WriteBufferSize int
	// FragmentSize makes WriteMessage split messages into frames of at most
	// this many payload bytes (silly uses 64 KiB). Default 0: no splitting.
	FragmentSize int
	// PingInterval, when positive, starts a keepalive goroutine that sends a
	// ping every interval. If no pong arrives within PongTimeout (default:
	// PingInterval) the connection fails with 1011 and reads return
	// ErrPongTimeout. Pongs are only seen while some goroutine reads.
	PingInterval time.Duration
	// OnCloseFrame, if set, is called with the status code of every close
	// frame the connection sends (received false) or reads (received
	// true); 1005 stands for an empty close payload. It runs on the
	// goroutine that writes or reads the frame (metrics count close codes
	// with it).
	OnCloseFrame func(code int, received bool)
	PongTimeout  time.Duration
}

func (o *Options) withDefaults() Options {
	var r Options
	if o != nil {
		r = *o
	}
	if r.MaxFramePayload == 0 {
		r.MaxFramePayload = DefaultMaxFramePayload
	} else if r.MaxFramePayload < 0 {
		r.MaxFramePayload = 1<<63 - 1
	}
	if r.MaxMessageSize == 0 {
		r.MaxMessageSize = DefaultMaxMessageSize
	} else if r.MaxMessageSize < 0 {
		r.MaxMessageSize = 1<<63 - 1
	}
	if r.CloseTimeout <= 0 {
		r.CloseTimeout = DefaultCloseTimeout
	}
	if r.ReadBufferSize <= 0 {
		r.ReadBufferSize = DefaultReadBufferSize
	}
	if r.ReadBufferSize < 256 {
		r.ReadBufferSize = 256
	}
	if r.WriteBufferSize <= 0 {
		r.WriteBufferSize = DefaultWriteBufferSize
	}
	if r.WriteBufferSize < 256 {
		r.WriteBufferSize = 256
	}
	if r.FragmentSize < 0 {
		r.FragmentSize = 0
	}
	if r.PingInterval > 0 && r.PongTimeout <= 0 {
		r.PongTimeout = r.PingInterval
	}
	return r
}

// Conn is a WebSocket connection, client or server side, over a net.Conn.
//
// One goroutine at a time may call ReadFrame/ReadMessage; any number may call
// the write methods, Close and the accessors concurrently.
type Conn struct {
	nc   net.Conn
	opts Options
	subp string
	defl *deflateState // nil when permessage-deflate was not negotiated

	rmu sync.Mutex // held by the reader (and by Close when it reads)
	rd  readState

	wmu   sync.Mutex // held while one frame is written
	msgMu sync.Mutex // held while WriteMessage writes a (fragmented) message
	wr    writeState

	closeMu   sync.Mutex
	closeSent bool
	closeRcvd bool
	// closeSentFlag mirrors closeSent for the lock-free check on every write.
	closeSentFlag atomic.Bool
	// closed is set when the TCP connection is closed. closedCh (closed
	// then) and rcvdCh (closed once closeRcvd is set) are made under
	// closeMu only when something waits on them: an idle connection
	// carries neither channel (96 bytes each).
	closed atomic.Bool
	// The two bools, the two atomic.Bools (4 bytes each) and peerCode, an
	// int32 (close codes are 16-bit), pack into 16 bytes: the 8 this saves
	// hold Options.OnCloseFrame within the size class (see
	// TestConnFitsItsSizeClass).
	peerCode   int32
	peerReason string
	closedCh   chan struct{}
	rcvdCh     chan struct{}
	closeOnce  sync.Once
	// client says we are the client: we mask, the peer must not. It sits
	// in closeOnce's padding (see TestConnFitsItsSizeClass).
	client  bool
	failErr atomic.Pointer[errBox] // why the connection failed, if it did

	lastPong atomic.Int64 // unix nanos of the last pong (keepalive)

	// raw is the socket's syscall.RawConn when reads may go to the file
	// descriptor directly (see fillEmpty); rawFn is the bound callback.
	raw   syscall.RawConn
	rawFn func(fd uintptr) bool
}

type errBox struct{ err error }

// NewConn wraps an already upgraded connection (the handshake was done
// elsewhere, e.g. by a raw test peer). br may hold bytes read past the
// handshake; it may be nil. client says which side of the protocol this end
// plays. No extension is in effect.
func NewConn(nc net.Conn, br *bufio.Reader, client bool, opts *Options) *Conn {
	return newConn(nc, br, client, opts, "", nil)
}

// Negotiated is what an opening handshake done outside wscore agreed on,
// for NewConnWith.
type Negotiated struct {
	// Subprotocol is the chosen subprotocol ("" for none).
	Subprotocol string
	// Deflate is the permessage-deflate agreement from NegotiateDeflate or
	// AcceptDeflate; nil when the extension is not in effect.
	Deflate *DeflateAgreement
}

// NewConnWith is NewConn for a handshake that negotiated a subprotocol or
// permessage-deflate: the Conn then reports them and, with Deflate set,
// inflates compressed messages and compresses what WriteMessage sends.
func NewConnWith(nc net.Conn, br *bufio.Reader, client bool, opts *Options, neg Negotiated) *Conn {
	var defl *deflateState
	if neg.Deflate != nil {
		defl = neg.Deflate.state(client)
	}
	return newConn(nc, br, client, opts, neg.Subprotocol, defl)
}

func newConn(nc net.Conn, br *bufio.Reader, client bool, opts *Options, subp string, defl *deflateState) *Conn {
	c := &Conn{
		nc:     nc,
		client: client,
		opts:   opts.withDefaults(),
		subp:   subp,
		defl:   defl,
	}
	if br != nil {
		// Only the bytes already read past the handshake are taken over;
		// br itself (and its buffer) is not retained.
		if n := br.Buffered(); n > 0 {
			b, _ := br.Peek(n)
			c.rd.pb = getBuf(max(n, c.opts.ReadBufferSize))
			c.rd.buf = c.rd.pb.b[:cap(c.rd.pb.b)]
			c.rd.w = copy(c.rd.buf, b)
		}
	}
	c.raw = rawConnOf(nc)
	if c.raw != nil {
		c.rawFn = c.rawRead
	}
	if client {
		var seed [8]byte
		_, _ = rand.Read(seed[:]) // crypto/rand.Read never fails on supported platforms
		c.wr.rng.s = binary.LittleEndian.Uint64(seed[:])
	}
	if c.opts.PingInterval > 0 {
		c.lastPong.Store(time.Now().UnixNano())
		go c.keepalive()
	}
	return c
}

// Subprotocol returns the negotiated subprotocol, or "".
func (c *Conn) Subprotocol() string { return c.subp }

// Compressed reports whether permessage-deflate was negotiated.
func (c *Conn) Compressed() bool { return c.defl != nil }

// IsClient reports whether this end is the client (it masks its frames).
func (c *Conn) IsClient() bool { return c.client }

// NetConn returns the underlying connection. Reading or writing it directly
// corrupts the WebSocket stream; it is exposed for deadlines, addresses and
// TLS state.
func (c *Conn) NetConn() net.Conn { return c.nc }

// RemoteAddr returns the peer's network address.
func (c *Conn) RemoteAddr() net.Addr { return c.nc.RemoteAddr() }

// LocalAddr returns the local network address.
func (c *Conn) LocalAddr() net.Addr { return c.nc.LocalAddr() }

// SetReadDeadline sets the deadline for reads. An expired deadline is not
// fatal: the read returns an error satisfying errors.Is(err,
// os.ErrDeadlineExceeded), the partial frame or message is kept, and the
// next read continues it.
func (c *Conn) SetReadDeadline(t time.Time) error { return c.nc.SetReadDeadline(t) }

// SetWriteDeadline sets the deadline for writes. A write that times out
// before any byte of its frame went out is not fatal; one that times out
// mid-frame has corrupted the stream and fails the connection.
func (c *Conn) SetWriteDeadline(t time.Time) error { return c.nc.SetWriteDeadline(t) }

// SetDeadline sets both deadlines.
func (c *Conn) SetDeadline(t time.Time) error { return c.nc.SetDeadline(t) }

// keepalive pings every PingInterval and fails the connection when a ping
// got no pong within PongTimeout. A pong that arrives before the next tick
// lets the schedule continue undisturbed.
func (c *Conn) keepalive() {
	done := c.Done()
	tick := time.NewTicker(c.opts.PingInterval)
	defer tick.Stop()
	pongTimer := time.NewTimer(time.Hour)
	pongTimer.Stop()
	defer pongTimer.Stop()
	var sent int64
	waiting := false
	for {
		select {
		case <-done:
			return
		case <-tick.C:
			if waiting && c.lastPong.Load() < sent {
				continue // the pong timer decides
			}
			sent = nowNano()
			if err := c.writeControl(OpPing, nil, time.Now().Add(c.opts.PongTimeout)); err != nil {
				return
			}
			waiting = true
			pongTimer.Reset(c.opts.PongTimeout)
		case <-pongTimer.C:
			if c.lastPong.Load() < sent {
				c.fail(protoErr(StatusInternalError, "no pong within the keepalive timeout", ErrPongTimeout), false)
				return
			}
			waiting = false
		}
	}
}
