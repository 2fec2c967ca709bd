package ssl

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"

	"github.com/golua-ws/golua-ws/luamod/eco/socket"
	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
)

// helpers returns the Go functions ssl.lua is given as its argument.
func helpers(rt *runtime.Runtime, L *lua.LState) *lua.LTable {
	return L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		// handshake(ssock, sock[, host]) -> stream | nil, err: takes the
		// TCP socket (an eco.socket object) over and completes the TLS
		// handshake of session ssock on it; a client verifies host (the
		// address dialled) unless a server name was set.
		"handshake": func(L *lua.LState) int { return handshake(rt, L) },
	})
}

// streamCloser is how the detached TCP socket closes: through the TLS
// stream once there is one (which closes the connection under it), else
// the connection itself.
type streamCloser struct {
	conn   net.Conn
	stream *socket.Socket
}

func (c *streamCloser) Close() error {
	if c.stream != nil {
		return c.stream.Close()
	}
	return c.conn.Close()
}

// prefixConn reads bytes its previous owner had buffered before reading
// from the connection.
type prefixConn struct {
	net.Conn
	r io.Reader
}

func (c *prefixConn) Read(p []byte) (int, error) { return c.r.Read(p) }

func pushErr(L *lua.LState, msg string) int {
	L.Push(lua.LNil)
	L.Push(lua.LString(msg))
	return 2
}

func handshake(rt *runtime.Runtime, L *lua.LState) int {
	ud, _ := L.Get(1).(*lua.LUserData)
	sess, ok := ud.Value.(*session)
	if ud == nil || !ok {
		L.ArgError(1, "ssl session expected")
	}
	// An eco.socket object is a table holding its Go socket as sock.
	sockValue := L.Get(2)
	if tbl, isTable := sockValue.(*lua.LTable); isTable {
		sockValue = tbl.RawGetString("sock")
	}
	sock, ok := socket.FromValue(sockValue)
	if !ok {
		L.ArgError(2, "eco.socket expected")
	}
	if sess.freed {
		return pushErr(L, "closed")
	}
	if sock.Closed() || sock.Detached() || sock.Conn() == nil {
		return pushErr(L, "Bad file descriptor")
	}
	cfg, err := sess.config(L.OptString(3, ""))
	if err != nil {
		return pushErr(L, err.Error())
	}
	closer := &streamCloser{}
	conn, rest := sock.Detach(closer)
	closer.conn = conn
	if len(rest) > 0 {
		conn = &prefixConn{Conn: conn, r: io.MultiReader(bytes.NewReader(rest), conn)}
	}
	var tc *tls.Conn
	if sess.ctx.isServer {
		tc = tls.Server(conn, cfg)
	} else {
		tc = tls.Client(conn, cfg)
	}
	err = rt.MustTask(L).BlockDeep(func(ctx context.Context) error {
		hctx, cancel := context.WithTimeout(ctx, handshakeTimeout)
		defer cancel()
		return tc.HandshakeContext(hctx)
	})
	if err != nil {
		_ = closer.Close()
		return pushErr(L, handshakeError(err))
	}
	closer.stream = socket.Wrap(rt, tc, nil)
	L.Push(closer.stream.Push(L))
	return 1
}

// handshakeError words a failed handshake: lua-eco's text for a refused
// certificate, eco.socket's for network errors, Go's otherwise.
func handshakeError(err error) string {
	var cve *tls.CertificateVerificationError
	if errors.As(err, &cve) {
		return "SSL certificate verify fail: " + cve.Err.Error()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "timeout"
	}
	return socket.ErrString(err)
}
