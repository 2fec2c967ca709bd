package runtime

import (
	"context"
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
// with the process's stdin and the runtime's stdout and stderr, releasing
// the VM token while the command runs (the runtime's shutdown kills it),
// and returns 5.4's three results: true or nil, "exit" or "signal", and
// the exit status or signal number. A shell that cannot be started gives
// nil, message, errno.
func (rt *Runtime) luaExecute(L *lua.LState) int {
	if L.Get(1) == lua.LNil {
		_, err := os.Stat(shell)
		L.Push(lua.LBool(err == nil))
		return 1
	}
	command := L.CheckString(1)
	run := func(ctx context.Context) error {
		cmd := exec.CommandContext(ctx, shell, "-c", command)
		cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, rt.Stdout(), rt.Stderr()
		return cmd.Run()
	}
	var err error
	if t := rt.Current(); t != nil {
		err = t.Block(run)
	} else {
		err = run(rt.Context())
	}
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
