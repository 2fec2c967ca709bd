package core

import (
	"strconv"

	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	lua "github.com/yuin/gopher-lua"
)

// errnoEntry is one silly.errno name with its Linux code and the text
// silly shows for it (strerror for system codes).
type errnoEntry struct {
	name string
	code int
	text string
}

// errnoEntries returns silly.errno's table. Codes are Linux's; custom
// codes from 10000 up are silly's own.
func errnoEntries() []errnoEntry {
	return []errnoEntry{
		{"INTR", 4, "Interrupted system call"},
		{"ACCES", 13, "Permission denied"},
		{"BADF", 9, "Bad file descriptor"},
		{"FAULT", 14, "Bad address"},
		{"INVAL", 22, "Invalid argument"},
		{"MFILE", 24, "Too many open files"},
		{"NFILE", 23, "Too many open files in system"},
		{"NOMEM", 12, "Cannot allocate memory"},
		{"NOBUFS", 105, "No buffer space available"},
		{"NOTSOCK", 88, "Socket operation on non-socket"},
		{"OPNOTSUPP", 95, "Operation not supported"},
		{"AFNOSUPPORT", 97, "Address family not supported by protocol"},
		{"PROTONOSUPPORT", 93, "Protocol not supported"},
		{"ADDRINUSE", 98, "Address already in use"},
		{"ADDRNOTAVAIL", 99, "Cannot assign requested address"},
		{"NETDOWN", 100, "Network is down"},
		{"NETUNREACH", 101, "Network is unreachable"},
		{"NETRESET", 102, "Network dropped connection on reset"},
		{"HOSTUNREACH", 113, "No route to host"},
		{"CONNABORTED", 103, "Software caused connection abort"},
		{"CONNRESET", 104, "Connection reset by peer"},
		{"CONNREFUSED", 111, "Connection refused"},
		{"TIMEDOUT", 110, "Operation timed out"},
		{"ISCONN", 106, "Transport endpoint is already connected"},
		{"NOTCONN", 107, "Transport endpoint is not connected"},
		{"INPROGRESS", 115, "Operation now in progress"},
		{"ALREADY", 114, "Operation already in progress"},
		{"AGAIN", 11, "Resource temporarily unavailable"},
		{"WOULDBLOCK", 11, "Resource temporarily unavailable"},
		{"PIPE", 32, "Broken pipe"},
		{"DESTADDRREQ", 89, "Destination address required"},
		{"MSGSIZE", 90, "Message too long"},
		{"PROTOTYPE", 91, "Protocol wrong type for socket"},
		{"NOPROTOOPT", 92, "Protocol not available"},
		{"RESOLVE", 10000, "Address resolution failed"},
		{"NOSOCKET", 10001, "No free socket available"},
		{"CLOSING", 10002, "Socket is closing"},
		{"CLOSED", 10003, "Socket is closed"},
		{"EOF", 10004, "End of file"},
		{"TLS", 10005, "TLS error"},
	}
}

// Errno returns the silly.errno string for name ("EOF" → "End of file
// (10004)"), for Go modules that return silly errors, and false if silly
// has no such name.
func Errno(name string) (string, bool) {
	for _, e := range errnoEntries() {
		if e.name == name {
			return e.text + " (" + strconv.Itoa(e.code) + ")", true
		}
	}
	return "", false
}

func openErrno(L *lua.LState) int {
	mod := L.NewTable()
	for _, e := range errnoEntries() {
		mod.RawSetString(e.name, lua.LString(e.text+" ("+strconv.Itoa(e.code)+")"))
	}
	mt := L.NewTable()
	mt.RawSetString("__index", L.NewFunction(func(L *lua.LState) int {
		key := luaarg.CheckString(L, 2, "__index")
		v := lua.LString("Unknown error '" + key + "'")
		L.RawSet(L.CheckTable(1), L.Get(2), v)
		L.Push(v)
		return 1
	}))
	L.SetMetatable(mod, mt)
	L.Push(mod)
	return 1
}
