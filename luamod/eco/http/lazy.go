package http

import lua "github.com/yuin/gopher-lua"

// lazyTable is a Lua table whose fields live in Go until a script first
// reads or assigns one: con and req. A handler gets both for its whole
// life, and a WebSocket handler lives as long as its connection, while
// lua-eco's own upgrade-and-loop handler reads one or two of their fifteen
// fields. Stored, a string-keyed field costs gopher-lua a map slot, a
// key-list slot, a key-index map slot and a boxed key; a table of nine
// keys outgrows the one-group maps Go gives eight, and a field holding a
// table (con.resp, con.peer, req.headers, req.query, req.form) costs that
// table too. Kept in Go, the same fields are a few strings and numbers.
//
// The table's metatable has an __index function that calls index (a read
// of a field the table does not hold) and a __newindex function that calls
// assigned. A field is stored in the table on its first read and is the
// table's from then on: Go writes it there (publish) rather than in its
// own record, and a script that sets it to nil finds it nil. A field
// assigned before its first read is the table's at once, Go's value being
// dropped. settle stores every field still in Go when the handler ends,
// so a table kept past its handler holds what it always held.
type lazyTable struct {
	tbl *lua.LTable
	// made has bit i set once field i is the table's (read, assigned or
	// settled).
	made uint16
}

// fieldSource is the Go side of a lazy table: the names of its fields
// (at most 16, in the order settle stores them) and Go's value of each.
type fieldSource interface {
	fieldNames() []string
	// goField returns Go's value of field i, or LNil when it has none
	// yet (con.sock before a take-over): such a field is not stored and
	// is asked again on the next read. Token required.
	goField(L *lua.LState, i int) lua.LValue
}

// fieldIndex returns the index of name among names, -1 when it is none.
func fieldIndex(names []string, name string) int {
	for i, n := range names {
		if n == name {
			return i
		}
	}
	return -1
}

// index is what reading tbl[name] finds when the table has no such
// field: a field still in Go is stored and returned; one that is the
// table's already is absent (a script set it to nil), as is any other
// name. Token required.
func (lt *lazyTable) index(L *lua.LState, src fieldSource, name string) lua.LValue {
	i := fieldIndex(src.fieldNames(), name)
	if i < 0 || lt.made&(1<<i) != 0 {
		return lua.LNil
	}
	v := src.goField(L, i)
	if v == lua.LNil {
		return lua.LNil
	}
	lt.made |= 1 << i
	lt.tbl.RawSetString(name, v)
	return v
}

// assigned records that a script assigned tbl[name] while the table had
// no such field: a field assigned before its first read is the table's
// from then on. It is never built from Go's record (con.resp's record
// stays Go's), and Go's later writes (publish: con.body_remain, con.sock,
// con.formed) store into it, as they did when every field was stored
// from the start.
func (lt *lazyTable) assigned(src fieldSource, name string) {
	if i := fieldIndex(src.fieldNames(), name); i >= 0 {
		lt.made |= 1 << i
	}
}

// publish writes field i, changed in Go, to the table if the field is the
// table's: a script that has read it sees the change, as it did when every
// field was stored from the start. Token required.
func (lt *lazyTable) publish(L *lua.LState, src fieldSource, i int) {
	if lt.made&(1<<i) != 0 {
		lt.tbl.RawSetString(src.fieldNames()[i], src.goField(L, i))
	}
}

// unread reports whether field i is still Go's alone: no script read or
// assigned it (nor rawset it), so Go may answer for it without storing it.
func (lt *lazyTable) unread(src fieldSource, i int) bool {
	return lt.made&(1<<i) == 0 && lt.tbl.RawGetString(src.fieldNames()[i]) == lua.LNil
}

// get returns what reading field i gives, storing it if it was still in
// Go (index), as a script's read would. Token required.
func (lt *lazyTable) get(L *lua.LState, src fieldSource, i int) lua.LValue {
	name := src.fieldNames()[i]
	if v := lt.tbl.RawGetString(name); v != lua.LNil {
		return v
	}
	return lt.index(L, src, name)
}

// settle stores every field no script read while the handler ran. Token
// required.
func (lt *lazyTable) settle(L *lua.LState, src fieldSource) {
	for _, name := range src.fieldNames() {
		if lt.tbl.RawGetString(name) == lua.LNil {
			lt.index(L, src, name)
		}
	}
}
