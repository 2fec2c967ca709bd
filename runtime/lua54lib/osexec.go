package lua54lib

import (
	"errors"
	"os"
	"os/exec"
	"syscall"

	lua "github.com/yuin/gopher-lua"
)

// os.execute with 5.4's results. gopher-lua's returns 5.1's single exit
// code, so `if os.execute(cmd) then` is true for a failing command (0 and
// 1 are both true in Lua) and scripts that check `== true` never match.

// shellPath is the shell os.execute runs, as C's system(3) does.
const shellPath = "/bin/sh"

// osExecute is os.execute([command]): with no command, whether a shell is
// available; otherwise true|nil, "exit"|"signal", code.
func osExecute(L *lua.LState) int {
	if L.GetTop() == 0 || L.Get(1) == lua.LNil {
		_, err := os.Stat(shellPath)
		L.Push(lua.LBool(err == nil))
		return 1
	}
	cmd := exec.Command(shellPath, "-c", L.CheckString(1))
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
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
		// The shell could not be started: system(3) failing, which 5.4
		// reports as a file result.
		L.Push(lua.LNil)
		L.Push(lua.LString(err.Error()))
		L.Push(lua.LNumber(0))
	}
	return 3
}
