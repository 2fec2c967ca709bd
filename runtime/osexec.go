package runtime

import (
	"errors"
	"os"
	"os/exec"
	"syscall"

	lua "github.com/yuin/gopher-lua"
)

// shell is the command interpreter os.execute runs, as C's system() does.
const shell = "/bin/sh"

// luaExecute is Lua 5.4's os.execute([command]). With no command it
// reports whether a shell exists. Otherwise it runs "/bin/sh -c command"
// with the process's stdin and the runtime's stdout and stderr, and
// returns 5.4's three results: true or nil, "exit" or "signal", and the
// exit status or signal number. A shell that cannot be started gives nil,
// message, errno.
//
// The command runs holding the VM token, as os.execute blocks the whole
// interpreter in Lua, lua-eco and silly: scripts rely on no other task
// running meanwhile (silly's own timer test cancels a timer after an
// os.execute that outlasts it). The runtime's shutdown still kills it.
func (rt *Runtime) luaExecute(L *lua.LState) int {
	if L.Get(1) == lua.LNil {
		_, err := os.Stat(shell)
		L.Push(lua.LBool(err == nil))
		return 1
	}
	cmd := exec.CommandContext(rt.Context(), shell, "-c", L.CheckString(1))
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, rt.Stdout(), rt.Stderr()
	err := cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		L.Push(lua.LTrue)
		L.Push(lua.LString("exit"))
		L.Push(lua.LNumber(0))
	case errors.As(err, &exitErr):
		L.Push(lua.LNil)
		if ws, ok := exitErr.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			L.Push(lua.LString("signal"))
			L.Push(lua.LNumber(ws.Signal()))
		} else {
			L.Push(lua.LString("exit"))
			L.Push(lua.LNumber(exitErr.ExitCode()))
		}
	default:
		var errno syscall.Errno
		L.Push(lua.LNil)
		L.Push(lua.LString(err.Error()))
		if errors.As(err, &errno) {
			L.Push(lua.LNumber(errno))
		} else {
			L.Push(lua.LNumber(0))
		}
	}
	return 3
}
