package adt

import (
	"math/bits"
	"strings"

	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	lua "github.com/yuin/gopher-lua"
)

// bufferMetatable is the registry name of the buffers' metatable.
const bufferMetatable = "silly.adt.buffer"

// minNodeCapExp is log2 of the smallest node array a buffer allocates.
const minNodeCapExp = 6

// bufferNode is one appended string; the head node's unread bytes start
// at the buffer's offset.
type bufferNode struct {
	ref   int // key of data in the refs table
	bytes int // unread bytes
	data  string
}

// buffer is the userdata value of silly.adt.buffer.new(): a queue of
// appended strings read by byte count or up to a delimiter. Its shape
// (a node array with read and write indexes, refs kept in a Lua table
// under ids from a LIFO pool) is silly's, because buffer.dump shows it.
type buffer struct {
	bytes  int
	readi  int
	writei int
	// nodes has the array's capacity as its length (dump's "cap").
	nodes  []bufferNode
	offset int
	// delim is the delimiter last searched for and delimLastCheck the
	// first node not yet known to lack it, so that a line arriving in
	// pieces is not rescanned from the start each time.
	delim          byte
	delimLastCheck int
	refs           *lua.LTable
	ids            idPool
}

// idPool hands out small positive ids, reusing the last freed first.
type idPool struct {
	free  []int
	maxID int
}

func (p *idPool) alloc() int {
	if n := len(p.free); n > 0 {
		id := p.free[n-1]
		p.free = p.free[:n-1]
		return id
	}
	p.maxID++
	return p.maxID
}

func (p *idPool) release(id int) { p.free = append(p.free, id) }

// ceilLog2 is ⌈log2 x⌉ for x ≥ 1.
func ceilLog2(x int) int { return bits.Len(uint(x - 1)) }

// grow makes room for one more node: the unread nodes move to the front
// and the array becomes the next power of two (at least 64) above them.
func (b *buffer) grow() {
	size := b.writei - b.readi
	capExp := max(ceilLog2(size+1), minNodeCapExp)
	nodes := make([]bufferNode, 1<<capExp)
	copy(nodes, b.nodes[b.readi:b.writei])
	b.delimLastCheck -= b.readi
	b.nodes, b.readi, b.writei = nodes, 0, size
}

func (b *buffer) push(s string) {
	if b.writei >= len(b.nodes) {
		b.grow()
	}
	ref := b.ids.alloc()
	b.refs.RawSetInt(ref, lua.LString(s))
	b.nodes[b.writei] = bufferNode{ref: ref, bytes: len(s), data: s}
	b.writei++
	b.bytes += len(s)
}

func (b *buffer) drop(n *bufferNode) {
	b.refs.RawSetInt(n.ref, lua.LNil)
	b.ids.release(n.ref)
	*n = bufferNode{}
}

// pop drops the head node.
func (b *buffer) pop() {
	n := &b.nodes[b.readi]
	b.readi++
	b.offset = 0
	if b.readi > b.delimLastCheck {
		b.delim, b.delimLastCheck = 0, b.readi
	}
	b.drop(n)
}

// consume drops size bytes from the front.
func (b *buffer) consume(size int) {
	b.bytes -= size
	for size > 0 {
		head := &b.nodes[b.readi]
		if head.bytes > size {
			head.bytes -= size
			b.offset += size
			return
		}
		size -= head.bytes
		b.pop()
	}
}

// headData is the unread part of the head node.
func (b *buffer) headData() string {
	n := &b.nodes[b.readi]
	return n.data[b.offset : b.offset+n.bytes]
}

// take removes and returns the first size bytes, which must be buffered;
// when they are one whole appended string, that same string is returned.
func (b *buffer) take(size int) string {
	if size == 0 {
		return ""
	}
	if head := &b.nodes[b.readi]; size <= head.bytes {
		s := b.headData()[:size]
		if b.offset == 0 && size == head.bytes {
			s = head.data
		}
		b.consume(size)
		return s
	}
	var sb strings.Builder
	sb.Grow(size)
	for size > 0 {
		part := b.headData()
		if len(part) > size {
			part = part[:size]
		}
		sb.WriteString(part)
		b.consume(len(part))
		size -= len(part)
	}
	return sb.String()
}

// findDelim returns how many bytes up to and including the first delim
// are buffered, or -1.
func (b *buffer) findDelim(delim byte) int {
	if delim != b.delim {
		b.delim, b.delimLastCheck = delim, b.readi
	}
	// Bytes in the nodes before delimLastCheck, which hold no delim.
	before := 0
	for i := b.readi; i < b.delimLastCheck; i++ {
		before += b.nodes[i].bytes
	}
	for i := b.delimLastCheck; i < b.writei; i++ {
		data := b.nodes[i].data
		if i == b.readi {
			data = b.headData()
		}
		if at := strings.IndexByte(data, delim); at >= 0 {
			return before + at + 1
		}
		// This node lacks delim, but it stays the first to check again:
		// a later search starts with it (as silly's does).
		b.delimLastCheck = i
		before += len(data)
	}
	return -1
}

func (b *buffer) clear() {
	for i := b.readi; i < b.writei; i++ {
		b.drop(&b.nodes[i])
	}
	b.bytes, b.offset, b.delim, b.delimLastCheck, b.readi, b.writei = 0, 0, 0, 0, 0, 0
}

func loadBuffer(L *lua.LState) int {
	mod := L.NewTable()
	mt := L.NewTypeMetatable(bufferMetatable)
	mt.RawSetString("__name", lua.LString(bufferMetatable))
	mt.RawSetString("__index", mod)
	L.SetFuncs(mod, map[string]lua.LGFunction{
		"new": func(L *lua.LState) int {
			ud := L.NewUserData()
			ud.Value = &buffer{refs: L.NewTable()}
			ud.Metatable = mt
			L.Push(ud)
			return 1
		},
		"append":  bufferAppend,
		"read":    bufferRead,
		"readall": bufferReadAll,
		"clear":   bufferClear,
		"size":    bufferSize,
		"dump":    bufferDump,
	})
	L.Push(mod)
	return 1
}

func checkBuffer(L *lua.LState, fname string) *buffer {
	if ud, ok := L.Get(1).(*lua.LUserData); ok {
		if b, ok := ud.Value.(*buffer); ok {
			return b
		}
	}
	luaarg.TypeError(L, 1, fname, bufferMetatable)
	return nil
}

// bufferAppend implements buffer.append(b, ...): each string is queued
// (empty ones are skipped); it returns the bytes buffered.
func bufferAppend(L *lua.LState) int {
	b := checkBuffer(L, "append")
	for i := 2; i <= L.GetTop(); i++ {
		s, ok := L.Get(i).(lua.LString)
		if !ok {
			L.RaiseError("invalid append argument type")
		}
		if len(s) > 0 {
			b.push(string(s))
		}
	}
	L.Push(lua.LNumber(b.bytes))
	return 1
}

// bufferRead implements buffer.read(b, n | delim): n bytes, or everything
// up to and including the one-byte delimiter, or nil when not all of it
// is buffered; and the bytes left buffered.
func bufferRead(L *lua.LState) int {
	b := checkBuffer(L, "read")
	switch arg := L.Get(2).(type) {
	case lua.LNumber:
		n := int(luaarg.CheckInteger(L, 2, "read"))
		switch {
		case n <= 0:
			L.Push(lua.LString(""))
		case n > b.bytes:
			L.Push(lua.LNil)
		default:
			L.Push(lua.LString(b.take(n)))
		}
	case lua.LString:
		if len(arg) != 1 {
			luaarg.Error(L, 2, "read", "delimiter length must be 1")
		}
		if n := b.findDelim(arg[0]); n < 0 {
			L.Push(lua.LNil)
		} else {
			L.Push(lua.LString(b.take(n)))
		}
	default:
		luaarg.TypeError(L, 2, "read", "number or string")
	}
	L.Push(lua.LNumber(b.bytes))
	return 2
}

func bufferReadAll(L *lua.LState) int {
	b := checkBuffer(L, "readall")
	L.Push(lua.LString(b.take(b.bytes)))
	return 1
}

func bufferClear(L *lua.LState) int {
	checkBuffer(L, "clear").clear()
	return 0
}

func bufferSize(L *lua.LState) int {
	L.Push(lua.LNumber(checkBuffer(L, "size").bytes))
	return 1
}

// bufferDump implements buffer.dump(b): the internal state, for tests.
func bufferDump(L *lua.LState) int {
	b := checkBuffer(L, "dump")
	t := L.NewTable()
	for k, v := range map[string]int{
		"bytes": b.bytes, "cap": len(b.nodes), "readi": b.readi, "writei": b.writei,
		"offset": b.offset, "delim": int(int8(b.delim)), "delim_last_checki": b.delimLastCheck,
	} {
		t.RawSetString(k, lua.LNumber(v))
	}
	t.RawSetString("refs", b.refs)
	L.Push(t)
	return 1
}
