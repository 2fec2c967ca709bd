// Package ecoerr words system errors the way lua-eco's C modules do: the
// C library's strerror text ("No such file or directory"), which is what
// their push_errno returns to Lua as the second value after nil.
package ecoerr

import (
	"errors"
	"strings"
	"syscall"

	lua "github.com/yuin/gopher-lua"
)

// Text is strerror of the errno inside err (Go's messages are the C
// library's text in lower case), or err's own message if it has none.
func Text(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		msg := errno.Error()
		if msg != "" {
			return strings.ToUpper(msg[:1]) + msg[1:]
		}
	}
	return err.Error()
}

// Push pushes nil and msg, lua-eco's failure shape, and returns 2.
func Push(L *lua.LState, msg string) int {
	L.Push(lua.LNil)
	L.Push(lua.LString(msg))
	return 2
}

// PushErr pushes nil and Text(err) and returns 2.
func PushErr(L *lua.LState, err error) int {
	return Push(L, Text(err))
}
