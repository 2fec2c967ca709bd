package sillystore

import (
	"strconv"

	sillynet "github.com/golua-ws/golua-ws/luamod/silly/net"
	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
)

// reply is one parsed RESP reply as silly returns it: ok is false for an
// error reply, or for an array holding one.
type reply struct {
	ok    bool
	value lua.LValue
}

// roundTrip writes req, which holds n commands, and reads their n replies in
// turn after the replies of the commands written before it. It returns
// silly's errno string (or a protocol error) when the connection failed;
// the connection is then dropped and the next command connects again.
func (cl *client) roundTrip(t *runtime.Task, req []byte, n int) ([]reply, string) {
	conn, e := cl.ensureConn(t)
	if e != "" {
		return nil, e
	}
	if len(req) > 0 {
		if err := conn.c.Write(string(req)); err != nil {
			e := sillynet.ErrString(err)
			cl.drop(t, conn, e)
			return nil, e
		}
	}
	if e := conn.waitTurn(t); e != "" {
		return nil, e
	}
	replies := make([]reply, n)
	for i := range replies {
		r, e := readReply(t, conn.c)
		if e == "" && conn.c.Closed() {
			// close() ran while the reply was on its way: silly wakes the
			// reader with errno.CLOSED whatever had arrived.
			e = sillynet.ErrClosed
		}
		if e != "" {
			cl.drop(t, conn, e)
			return nil, e
		}
		replies[i] = r
	}
	conn.passTurn(t)
	return replies, ""
}

// ensureConn returns the client's connection, making it if there is none.
// One task dials at a time; the others wait for it and then use what it
// made, or dial themselves if it failed.
func (cl *client) ensureConn(t *runtime.Task) (*connection, string) {
	for {
		if cl.conn != nil {
			return cl.conn, ""
		}
		if cl.closed {
			return nil, sillynet.ErrClosed
		}
		if !cl.dialing {
			break
		}
		cl.dialWaiters = append(cl.dialWaiters, t)
		if _, err := t.Suspend(0); err != nil {
			return nil, sillynet.ErrString(err)
		}
	}
	cl.dialing = true
	conn, e := cl.dial(t)
	cl.dialing = false
	for _, w := range cl.dialWaiters {
		t.Resume(w, nil)
	}
	cl.dialWaiters = nil
	if e != "" {
		return nil, e
	}
	if cl.closed {
		conn.c.Close()
		return nil, sillynet.ErrClosed
	}
	cl.conn = conn
	return conn, ""
}

// dial connects and sends AUTH and SELECT when the client has them. An
// error reply to either fails the connect with Redis's message.
func (cl *client) dial(t *runtime.Task) (*connection, string) {
	hostport, e := sillynet.ParseAddr(cl.addr)
	if e != "" {
		return nil, e
	}
	nc, e := sillynet.Dial(t, hostport, "", 0, nil)
	if e != "" {
		return nil, e
	}
	c, _ := sillynet.WrapDialed(t.L, cl.rt, nc, cl.addr)
	conn := &connection{c: c}
	var handshake [][]string
	if cl.auth != "" {
		handshake = append(handshake, []string{"AUTH", cl.auth})
	}
	if db, ok := cl.db.(lua.LNumber); !ok || db != 0 {
		handshake = append(handshake, []string{"SELECT", toString(t.L, cl.db)})
	}
	if len(handshake) == 0 {
		return conn, ""
	}
	var req []byte
	for _, words := range handshake {
		req = appendCommand(req, words[0], words[1:])
	}
	if err := c.Write(string(req)); err != nil {
		c.Close()
		return nil, sillynet.ErrString(err)
	}
	// Read every reply even after a failed AUTH, so that the reported error
	// is the first one and no reply is left unread.
	var fail string
	for range handshake {
		r, e := readReply(t, c)
		if e != "" {
			c.Close()
			return nil, e
		}
		if !r.ok && fail == "" {
			fail = lua.LVAsString(r.value)
		}
	}
	if fail != "" {
		c.Close()
		return nil, fail
	}
	return conn, ""
}

// drop closes a failed connection, forgets it, and fails every task queued
// to read from it with e.
func (cl *client) drop(t *runtime.Task, conn *connection, e string) {
	conn.c.Close()
	if cl.conn == conn {
		cl.conn = nil
	}
	conn.reading = false
	waiters := conn.waiters
	conn.waiters = nil
	for _, w := range waiters {
		t.Resume(w, e)
	}
}

// waitTurn returns when t may read its replies: at once if nobody is
// reading, else when the task before it hands over. It returns the error
// that ended the connection meanwhile, if one did.
func (conn *connection) waitTurn(t *runtime.Task) string {
	if !conn.reading {
		conn.reading = true
		return ""
	}
	conn.waiters = append(conn.waiters, t)
	v, err := t.Suspend(0)
	if err != nil {
		return sillynet.ErrString(err)
	}
	if e, ok := v.(string); ok {
		return e
	}
	return ""
}

// passTurn hands reading over to the next queued task, if any.
func (conn *connection) passTurn(t *runtime.Task) {
	if len(conn.waiters) == 0 {
		conn.reading = false
		return
	}
	next := conn.waiters[0]
	conn.waiters[0] = nil // the backing array must not keep the task
	conn.waiters = conn.waiters[1:]
	t.Resume(next, nil)
}

// maxNesting bounds how deep arrays may nest in a reply: far beyond what
// Redis sends, and low enough that a hostile server cannot make the
// recursion grow the stack without bound.
const maxNesting = 512

// readReply reads one RESP2 reply, releasing the VM token while it waits
// for bytes. It returns silly's errno string if the connection failed, or
// a protocol error for a reply RESP2 does not have.
func readReply(t *runtime.Task, c *sillynet.Conn) (reply, string) {
	return readNested(t, c, 0)
}

// readNested is readReply for a reply inside depth arrays.
func readNested(t *runtime.Task, c *sillynet.Conn, depth int) (reply, string) {
	line, e := c.ReadDelim(t, '\n', 0)
	if e != "" {
		return reply{}, e
	}
	if len(line) < 3 || line[len(line)-2] != '\r' {
		return reply{}, "redis protocol error: malformed line " + strconv.Quote(line)
	}
	body := line[1 : len(line)-2]
	switch line[0] {
	case '+':
		return reply{ok: true, value: lua.LString(body)}, ""
	case '-':
		return reply{ok: false, value: lua.LString(body)}, ""
	case ':':
		n, err := strconv.ParseInt(body, 10, 64)
		if err != nil {
			return reply{}, "redis protocol error: bad integer " + strconv.Quote(body)
		}
		return reply{ok: true, value: lua.LNumber(n)}, ""
	case '$':
		n, err := strconv.Atoi(body)
		if err != nil {
			return reply{}, "redis protocol error: bad bulk length " + strconv.Quote(body)
		}
		if n < 0 {
			return reply{ok: true, value: lua.LNil}, ""
		}
		data, e := c.ReadN(t, n+2, 0)
		if e != "" {
			return reply{}, e
		}
		return reply{ok: true, value: lua.LString(data[:n])}, ""
	case '*':
		n, err := strconv.Atoi(body)
		if err != nil {
			return reply{}, "redis protocol error: bad array length " + strconv.Quote(body)
		}
		if n < 0 {
			return reply{ok: true, value: lua.LNil}, ""
		}
		if depth >= maxNesting {
			return reply{}, "redis protocol error: arrays nested too deep"
		}
		// Every Go step between reads runs with the token held, so the
		// table is filled as its elements arrive. The preallocation is
		// capped: memory grows with the elements that arrive, not with the
		// count a server announces.
		tbl := t.L.CreateTable(min(n, 1024), 0)
		ok := true
		for i := 1; i <= n; i++ {
			r, e := readNested(t, c, depth+1)
			if e != "" {
				return reply{}, e
			}
			ok = ok && r.ok
			tbl.RawSetInt(i, r.value)
		}
		return reply{ok: ok, value: tbl}, ""
	}
	return reply{}, "redis protocol error: unknown reply type " + strconv.Quote(line[:1])
}
