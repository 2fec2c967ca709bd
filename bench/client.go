package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/gorilla/websocket"

	"github.com/golua-ws/golua-ws/wscore"
)

// Client names a WebSocket client implementation for the load generator.
type Client string

// The load generator can drive its connections with either library. The
// default is gorilla: it is independent of wscore, so a bug shared by
// wscore's client and server cannot hide behind a matching echo.
const (
	ClientGorilla Client = "gorilla"
	ClientWscore  Client = "wscore"
)

// echoConn is one client connection as the load loop sees it: send a
// message, read the echoed message, and compare them.
type echoConn interface {
	// send writes one data message (text or binary).
	send(text bool, p []byte) error
	// recvEqual reads the next data message and reports whether it has the
	// given type and is byte-for-byte equal to want.
	recvEqual(text bool, want []byte) (bool, error)
	// recvText reads the next text message (binary ones are skipped), for
	// the fan-out benchmark's subscribers.
	recvText() ([]byte, error)
	// waitClosed blocks until the connection ends and reports how.
	waitClosed() error
	// close performs the closing handshake within the deadline, then closes
	// the TCP connection.
	close(deadline time.Time) error
	// abort closes the TCP connection at once.
	abort()
}

// dial opens one client connection of the given kind.
func dial(ctx context.Context, kind Client, url string, maxSize int) (echoConn, error) {
	switch kind {
	case ClientGorilla, "":
		// gorilla splits a message into frames of its write buffer's size;
		// a buffer that holds the whole message sends one frame per
		// message, as browsers and the wscore client do, so frame-level
		// servers (the eco script) are measured per message, not per
		// 4 KiB fragment.
		d := websocket.Dialer{
			NetDialContext:   (&net.Dialer{}).DialContext,
			HandshakeTimeout: 10 * time.Second,
			ReadBufferSize:   4096,
			WriteBufferSize:  max(4096, maxSize),
		}
		c, resp, err := d.DialContext(ctx, url, nil)
		if resp != nil && resp.Body != nil {
			resp.Body.Close()
		}
		if err != nil {
			return nil, fmt.Errorf("dial %s: %w", url, err)
		}
		c.SetReadLimit(int64(maxSize) + 1)
		return &gorillaConn{c: c, buf: make([]byte, 0, maxSize+1)}, nil
	case ClientWscore:
		c, _, err := wscore.Dial(ctx, url, &wscore.DialOptions{Conn: wscore.Options{
			MaxFramePayload: int64(maxSize) + 1,
			MaxMessageSize:  int64(maxSize) + 1,
			CloseTimeout:    2 * time.Second,
		}})
		if err != nil {
			return nil, fmt.Errorf("dial %s: %w", url, err)
		}
		return &wscoreConn{c: c}, nil
	}
	return nil, fmt.Errorf("unknown client %q (want gorilla or wscore)", kind)
}

type gorillaConn struct {
	c   *websocket.Conn
	buf []byte
}

func gorillaType(text bool) int {
	if text {
		return websocket.TextMessage
	}
	return websocket.BinaryMessage
}

func (g *gorillaConn) send(text bool, p []byte) error {
	return g.c.WriteMessage(gorillaType(text), p)
}

func (g *gorillaConn) recvEqual(text bool, want []byte) (bool, error) {
	mt, r, err := g.c.NextReader()
	if err != nil {
		return false, err
	}
	// Read up to one byte more than expected, so a longer echo shows.
	buf := g.buf[:len(want)+1]
	n, err := io.ReadFull(r, buf)
	switch {
	case err == io.ErrUnexpectedEOF || err == io.EOF:
	case err != nil:
		return false, err
	default: // longer than want: drain the rest of the message
		if _, err := io.Copy(io.Discard, r); err != nil {
			return false, err
		}
	}
	return mt == gorillaType(text) && bytes.Equal(buf[:n], want), nil
}

func (g *gorillaConn) recvText() ([]byte, error) {
	for {
		mt, p, err := g.c.ReadMessage()
		if err != nil {
			return nil, err
		}
		if mt == websocket.TextMessage {
			return p, nil
		}
	}
}

func (g *gorillaConn) waitClosed() error {
	for {
		if _, _, err := g.c.NextReader(); err != nil {
			return err
		}
	}
}

func (g *gorillaConn) close(deadline time.Time) error {
	defer g.c.Close()
	msg := websocket.FormatCloseMessage(websocket.CloseNormalClosure, "")
	if err := g.c.WriteControl(websocket.CloseMessage, msg, deadline); err != nil {
		return fmt.Errorf("send close: %w", err)
	}
	if err := g.c.SetReadDeadline(deadline); err != nil {
		return err
	}
	for {
		_, _, err := g.c.NextReader()
		if err == nil {
			continue // a data message still in flight; skip it
		}
		if websocket.IsCloseError(err, websocket.CloseNormalClosure, websocket.CloseNoStatusReceived) {
			return nil
		}
		return fmt.Errorf("closing handshake: %w", err)
	}
}

func (g *gorillaConn) abort() { g.c.Close() }

type wscoreConn struct {
	c *wscore.Conn
}

func wscoreType(text bool) wscore.Opcode {
	if text {
		return wscore.OpText
	}
	return wscore.OpBinary
}

func (w *wscoreConn) send(text bool, p []byte) error {
	return w.c.WriteMessage(wscoreType(text), p)
}

func (w *wscoreConn) recvEqual(text bool, want []byte) (bool, error) {
	for {
		op, data, err := w.c.ReadMessage()
		if err != nil {
			return false, err
		}
		switch op {
		case wscore.OpPing, wscore.OpPong:
			continue
		case wscore.OpClose:
			code, reason, _ := wscore.ParseClosePayload(data)
			return false, &wscore.CloseError{Code: code, Reason: reason}
		}
		return op == wscoreType(text) && bytes.Equal(data, want), nil
	}
}

func (w *wscoreConn) recvText() ([]byte, error) {
	for {
		op, data, err := w.c.ReadMessage()
		if err != nil {
			return nil, err
		}
		switch op {
		case wscore.OpText:
			return data, nil
		case wscore.OpClose:
			code, reason, _ := wscore.ParseClosePayload(data)
			return nil, &wscore.CloseError{Code: code, Reason: reason}
		}
	}
}

func (w *wscoreConn) waitClosed() error {
	for {
		if _, _, err := w.c.ReadMessage(); err != nil {
			return err
		}
	}
}

func (w *wscoreConn) close(deadline time.Time) error {
	// The Conn's CloseTimeout (set at dial) bounds the wait for the reply.
	if err := w.c.Close(wscore.StatusNormalClosure, ""); err != nil {
		return fmt.Errorf("closing handshake: %w", err)
	}
	if _, _, ok := w.c.PeerClose(); !ok {
		return errors.New("closing handshake: the server sent no close frame")
	}
	return nil
}

func (w *wscoreConn) abort() { w.c.CloseNow() }
