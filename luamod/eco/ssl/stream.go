package ssl

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"os"

	"github.com/golua-ws/golua-ws/luamod/eco/socket"
	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
)

// sendfileChunk is the size lua-eco's ssl client:sendfile reads and sends
// at a time.
const sendfileChunk = 4096

// helpers returns the Go functions ssl.lua is given as its argument.
func helpers(rt *runtime.Runtime, L *lua.LState) *lua.LTable {
	return L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		// handshake(ssock, sock) -> stream | nil, err: takes the TCP socket
		// over and completes the TLS handshake of session ssock on it.
		"handshake": func(L *lua.LState) int { return handshake(rt, L) },
		// sendfile(stream, path, len, offset, timeout) -> sent | nil, err.
		"sendfile": func(L *lua.LState) int { return sendfile(rt, L) },
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
	sock, ok := socket.FromValue(L.Get(2))
	if !ok {
		L.ArgError(2, "socket expected")
	}
	if sess.freed {
		return pushErr(L, "closed")
	}
	if sock.Closed() || sock.Detached() || sock.Conn() == nil {
		return pushErr(L, "Bad file descriptor")
	}
	host, _, _ := net.SplitHostPort(sock.Conn().RemoteAddr().String())
	cfg, err := sess.config(host)
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

func sendfile(rt *runtime.Runtime, L *lua.LState) int {
	stream, ok := socket.FromValue(L.Get(1))
	if !ok {
		L.ArgError(1, "socket expected")
	}
	path := L.CheckString(2)
	remaining := L.CheckInt64(3)
	offset := L.OptInt64(4, 0)
	timeout := float64(L.OptNumber(5, 0))
	t := rt.MustTask(L)

	var f *os.File
	err := t.Block(func(context.Context) error {
		var err error
		f, err = os.Open(path)
		return err
	})
	if err != nil {
		return pushErr(L, socket.ErrString(err))
	}
	defer f.Close()
	buf := make([]byte, sendfileChunk)
	var sent int64
	for remaining > 0 {
		want := int64(len(buf))
		if want > remaining {
			want = remaining
		}
		var n int
		err = t.Block(func(context.Context) error {
			var err error
			n, err = f.ReadAt(buf[:want], offset)
			return err
		})
		if n == 0 {
			if err != nil && !errors.Is(err, io.EOF) {
				return pushErr(L, socket.ErrString(err))
			}
			break // end of file: lua-eco returns what was sent
		}
		if e := stream.Write(t, string(buf[:n]), timeout); e != "" {
			return pushErr(L, e)
		}
		offset += int64(n)
		sent += int64(n)
		remaining -= int64(n)
	}
	L.Push(lua.LNumber(sent))
	return 1
}
