// Package sillystore implements silly's "silly.store.redis": a Redis client
// that speaks RESP2 itself over silly.net's connection layer.
//
// A client holds at most one connection, made lazily by the first command
// (then AUTH and SELECT, nothing else, are sent on it). Commands from any
// number of tasks are written in call order and their replies read in the
// same order, one reader at a time; a task waiting for its reply, or for
// another task's connect, is suspended and does not hold the VM token. A
// broken connection fails the command that finds it broken (and the tasks
// queued behind it) with silly's errno string; the next command connects
// again. close() fails everything in flight with errno.CLOSED and every later
// command too.
//
// Why not go-redis: it sends HELLO on every new connection (and CLIENT
// SETINFO unless told not to), keeps a pool of connections, and retries or
// re-dials behind the caller's back, while silly's contract is one
// connection, a reply per call in call order, exactly one reconnect however
// many tasks race for it, and the first command after a break failing.
// Only the protocol itself gives that.
package sillystore

import (
	"strconv"
	"strings"

	sillynet "github.com/golua-ws/golua-ws/luamod/silly/net"
	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
)

// objectTypeName names the metatable of client objects in each VM.
const objectTypeName = "silly.store.redis"

// Register makes "silly.store.redis" available to require in rt.
func Register(rt *runtime.Runtime) {
	rt.RegisterModule("silly.store.redis", func(L *lua.LState) int {
		L.Push(moduleTable(L, rt))
		return 1
	})
}

// client is one redis.new object. All its fields, and its connection's, are
// used only by the task holding the VM token, so they need no lock.
type client struct {
	rt     *runtime.Runtime
	addr   string
	auth   string
	db     lua.LValue // as given: SELECT sends tostring(db)
	conn   *connection
	closed bool

	dialing     bool
	dialWaiters []*runtime.Task
}

// connection is one socket to the server and the order of its readers.
type connection struct {
	c       *sillynet.Conn
	reading bool            // a task is reading its reply
	waiters []*runtime.Task // tasks whose requests are written, in order
}

// moduleTable builds the module: new, close, select, call and pipeline, and
// any other key made into the command of that name (upper-cased), cached in
// the table as silly caches it. Objects look their methods up here.
func moduleTable(L *lua.LState, rt *runtime.Runtime) *lua.LTable {
	mod := L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"new":      func(L *lua.LState) int { return newClient(L, rt) },
		"close":    clientClose,
		"select":   clientSelect,
		"call":     clientCall,
		"pipeline": clientPipeline,
	})
	meta := L.NewTable()
	L.SetField(meta, "__index", L.NewFunction(func(L *lua.LState) int {
		key, ok := L.Get(2).(lua.LString)
		if !ok {
			L.Push(lua.LNil)
			return 1
		}
		name := strings.ToUpper(string(key))
		fn := L.NewFunction(func(L *lua.LState) int { return command(L, name, 2) })
		mod.RawSet(key, fn)
		L.Push(fn)
		return 1
	}))
	L.SetMetatable(mod, meta)

	objMeta := L.NewTypeMetatable(objectTypeName)
	L.SetField(objMeta, "__index", L.NewFunction(func(L *lua.LState) int {
		cl := checkClient(L)
		key := L.Get(2)
		switch key {
		case lua.LString("addr"):
			L.Push(lua.LString(cl.addr))
		case lua.LString("auth"):
			L.Push(lua.LString(cl.auth))
		case lua.LString("db"):
			L.Push(cl.db)
		case lua.LString("closed"):
			L.Push(lua.LBool(cl.closed))
		default:
			L.Push(L.GetTable(mod, key))
		}
		return 1
	}))
	L.SetField(objMeta, "__tostring", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString("redis: " + checkClient(L).addr))
		return 1
	}))
	return mod
}

// newClient implements redis.new{addr=, auth?=, db?=}. It does not connect.
func newClient(L *lua.LState, rt *runtime.Runtime) int {
	conf := L.CheckTable(1)
	addr, ok := conf.RawGetString("addr").(lua.LString)
	if !ok {
		L.ArgError(1, "addr must be a string")
	}
	cl := &client{rt: rt, addr: string(addr), db: lua.LNumber(0)}
	switch a := conf.RawGetString("auth").(type) {
	case lua.LString:
		cl.auth = string(a)
	case *lua.LNilType:
	default:
		L.ArgError(1, "auth must be a string")
	}
	if db := conf.RawGetString("db"); db != lua.LNil {
		cl.db = db
	}
	ud := L.NewUserData()
	ud.Value = cl
	L.SetMetatable(ud, L.GetTypeMetatable(objectTypeName))
	L.Push(ud)
	return 1
}

func checkClient(L *lua.LState) *client {
	if ud, ok := L.Get(1).(*lua.LUserData); ok {
		if cl, ok := ud.Value.(*client); ok {
			return cl
		}
	}
	L.ArgError(1, "silly.store.redis object expected")
	return nil
}

// clientClose implements db:close(): the connection is closed at once (a
// task reading from it, and those queued behind, get errno.CLOSED) and the
// client never connects again.
func clientClose(L *lua.LState) int {
	cl := checkClient(L)
	cl.closed = true
	if cl.conn != nil {
		cl.conn.c.Close()
		cl.conn = nil
	}
	return 0
}

// clientSelect refuses db:select(): the connection may be re-made at any
// time, so the database is fixed by redis.new's db, as in silly.
func clientSelect(L *lua.LState) int {
	checkClient(L)
	L.RaiseError("please specify the db when redis.new")
	return 0
}

// clientCall implements db:call(cmd, ...), the same as db:<cmd>(...).
func clientCall(L *lua.LState) int {
	checkClient(L)
	name := strings.ToUpper(L.CheckString(2))
	return command(L, name, 3)
}

// command sends name with the arguments from stack index first on (or the
// elements of a table found there) and returns success, value: true and the
// reply, false and Redis's error text, or false and silly's errno string
// when the connection failed.
func command(L *lua.LState, name string, first int) int {
	cl := checkClient(L)
	t := cl.rt.MustTask(L)
	var args []string
	if tbl, ok := L.Get(first).(*lua.LTable); ok {
		args = tableArgs(L, tbl, 1)
	} else {
		top := L.GetTop()
		for top >= first && L.Get(top) == lua.LNil {
			top-- // silly builds {p1, ...}, whose length drops trailing nils
		}
		for i := first; i <= top; i++ {
			args = append(args, toString(L, L.Get(i)))
		}
	}
	req := appendCommand(nil, name, args)
	replies, e := cl.roundTrip(t, req, 1)
	if e != "" {
		L.Push(lua.LFalse)
		L.Push(lua.LString(e))
		return 2
	}
	L.Push(lua.LBool(replies[0].ok))
	L.Push(replies[0].value)
	return 2
}

// clientPipeline implements db:pipeline{{cmd, args...}, ...}: every command
// is written at once and the result is {ok1, value1, ok2, value2, ...}, or
// nil and silly's errno string when the connection failed.
func clientPipeline(L *lua.LState) int {
	cl := checkClient(L)
	t := cl.rt.MustTask(L)
	cmds := L.CheckTable(2)
	n := cmds.Len()
	var req []byte
	for i := 1; i <= n; i++ {
		c, ok := cmds.RawGetInt(i).(*lua.LTable)
		if !ok {
			L.ArgError(2, "each command must be a table")
		}
		words := tableArgs(L, c, 1)
		if len(words) == 0 {
			L.ArgError(2, "empty command in pipeline")
		}
		req = appendCommand(req, words[0], words[1:])
	}
	replies, e := cl.roundTrip(t, req, n)
	if e != "" {
		L.Push(lua.LNil)
		L.Push(lua.LString(e))
		return 2
	}
	out := L.CreateTable(2*n, 0)
	for i, r := range replies {
		out.RawSetInt(2*i+1, lua.LBool(r.ok))
		out.RawSetInt(2*i+2, r.value)
	}
	L.Push(out)
	return 1
}

// tableArgs converts tbl[from..#tbl] to strings as tostring does.
func tableArgs(L *lua.LState, tbl *lua.LTable, from int) []string {
	n := tbl.Len()
	args := make([]string, 0, n)
	for i := from; i <= n; i++ {
		args = append(args, toString(L, tbl.RawGetInt(i)))
	}
	return args
}

func toString(L *lua.LState, v lua.LValue) string {
	if s, ok := v.(lua.LString); ok {
		return string(s)
	}
	return L.ToStringMeta(v).String()
}

// appendCommand appends one RESP request (an array of bulk strings) to buf.
func appendCommand(buf []byte, name string, args []string) []byte {
	buf = append(buf, '*')
	buf = strconv.AppendInt(buf, int64(len(args)+1), 10)
	buf = append(buf, '\r', '\n')
	buf = appendBulk(buf, name)
	for _, a := range args {
		buf = appendBulk(buf, a)
	}
	return buf
}

func appendBulk(buf []byte, s string) []byte {
	buf = append(buf, '$')
	buf = strconv.AppendInt(buf, int64(len(s)), 10)
	buf = append(buf, '\r', '\n')
	buf = append(buf, s...)
	return append(buf, '\r', '\n')
}
