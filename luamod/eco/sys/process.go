package sys

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"github.com/golua-ws/golua-ws/luamod/eco/fdio"
	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
)

// child is a process started by sys.exec. Its reaper goroutine writes
// status and then closes done; status is read only after done is closed.
type child struct {
	pid    int
	done   chan struct{}
	status exitStatus
}

// exitStatus is how a child ended, as lua-eco reports it: exited with a
// code, or killed by a signal.
type exitStatus struct {
	signaled bool
	code     int // exit code, or the signal number when signaled
}

func (st exitStatus) table(L *lua.LState) *lua.LTable {
	t := L.NewTable()
	if st.signaled {
		t.RawSetString("signaled", lua.LTrue)
	} else {
		t.RawSetString("exited", lua.LTrue)
	}
	t.RawSetString("status", lua.LNumber(st.code))
	return t
}

// luaExec is eco.internal.sys.exec(cmd, arg...) or exec({cmd, arg...},
// [env]): it starts the program with pipes to its stdout and stderr and
// returns pid, stdout_fd, stderr_fd (the read ends, non-blocking and
// close-on-exec, in the runtime's fd table: the script closes them with
// eco.internal.file.close, or the runtime at exit), or nil and the error
// text. The
// child inherits stdin; env, when given, is its whole environment
// ({'K=V', ...} or {K = 'V'}).
func (s *state) luaExec(L *lua.LState) int {
	argv, env := execArgs(L)
	path := argv[0]
	if !strings.Contains(path, "/") {
		found, err := exec.LookPath(path)
		if err != nil {
			return pushErr(L, lookPathText(err))
		}
		path = found
	}
	stdout, err := newPipe()
	if err != nil {
		return pushErr(L, fdio.Strerror(err))
	}
	stderr, err := newPipe()
	if err != nil {
		stdout.close()
		return pushErr(L, fdio.Strerror(err))
	}
	proc, err := os.StartProcess(path, argv, &os.ProcAttr{
		Env:   env,
		Files: []*os.File{os.Stdin, stdout.w, stderr.w},
	})
	// The child has its own copies of the write ends; ours must go so that
	// the reader sees EOF when the child ends.
	stdout.w.Close()
	stderr.w.Close()
	if err != nil {
		syscall.Close(stdout.r)
		syscall.Close(stderr.r)
		return pushErr(L, fdio.Strerror(err))
	}
	// The runtime closes the read ends at exit if the script has not.
	fds := fdio.TableOf(s.rt)
	_ = fds.Adopt(stdout.r)
	_ = fds.Adopt(stderr.r)
	c := &child{pid: proc.Pid, done: make(chan struct{})}
	s.children[c.pid] = c
	go c.reap(proc)
	L.Push(lua.LNumber(c.pid))
	L.Push(lua.LNumber(stdout.r))
	L.Push(lua.LNumber(stderr.r))
	return 3
}

// lookPathText words a failed PATH search as execvp's errno would.
func lookPathText(err error) string {
	if errors.Is(err, exec.ErrNotFound) {
		return strerror(syscall.ENOENT)
	}
	return fdio.Strerror(err)
}

// execArgs reads exec's two calling forms into argv and env (nil: inherit).
func execArgs(L *lua.LState) (argv, env []string) {
	if tbl, ok := L.Get(1).(*lua.LTable); ok {
		n := tbl.Len()
		if n == 0 {
			luaarg.Error(L, 1, "exec", "string expected, got nil")
		}
		for i := 1; i <= n; i++ {
			v, ok := stringValue(tbl.RawGetInt(i))
			if !ok {
				luaarg.Error(L, 1, "exec", fmt.Sprintf("argument %d is not a string", i))
			}
			argv = append(argv, v)
		}
		if et, ok := L.Get(2).(*lua.LTable); ok {
			env = []string{}
			et.ForEach(func(k, v lua.LValue) {
				val, ok := stringValue(v)
				if !ok {
					return
				}
				if _, isIndex := k.(lua.LNumber); isIndex {
					env = append(env, val)
				} else {
					env = append(env, lua.LVAsString(k)+"="+val)
				}
			})
		}
		return argv, env
	}
	top := L.GetTop()
	argv = append(argv, luaarg.CheckString(L, 1, "exec"))
	for i := 2; i <= top; i++ {
		argv = append(argv, luaarg.CheckString(L, i, "exec"))
	}
	return argv, nil
}

func stringValue(v lua.LValue) (string, bool) {
	switch v := v.(type) {
	case lua.LString:
		return string(v), true
	case lua.LNumber:
		return v.String(), true
	}
	return "", false
}

// pipe is one stdio pipe of a child: r is our raw read end, w the child's.
type pipe struct {
	r int
	w *os.File
}

func newPipe() (*pipe, error) {
	var fds [2]int
	if err := syscall.Pipe2(fds[:], syscall.O_CLOEXEC); err != nil {
		return nil, fmt.Errorf("exec: pipe2: %w", err)
	}
	// Only our end becomes non-blocking (fdio's Adopt): the child gets an
	// ordinary pipe.
	return &pipe{r: fds[0], w: os.NewFile(uintptr(fds[1]), "|1")}, nil
}

func (p *pipe) close() {
	syscall.Close(p.r)
	p.w.Close()
}

// reap waits for the child (os.Process.Wait waits for this pid alone) and
// records how it ended.
func (c *child) reap(proc *os.Process) {
	defer close(c.done)
	ps, err := proc.Wait()
	if err != nil {
		c.status = exitStatus{code: -1}
		return
	}
	ws, ok := ps.Sys().(syscall.WaitStatus)
	switch {
	case ok && ws.Signaled():
		c.status = exitStatus{signaled: true, code: int(ws.Signal())}
	case ok:
		c.status = exitStatus{code: ws.ExitStatus()}
	default:
		c.status = exitStatus{code: ps.ExitCode()}
	}
}

// exited reports whether the child has ended and been reaped.
func (c *child) exited() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// consume hands out c's status once: the child is forgotten afterwards, as
// a reaped pid is in lua-eco.
func (s *state) consume(L *lua.LState, c *child) int {
	delete(s.children, c.pid)
	L.Push(lua.LNumber(c.pid))
	L.Push(c.status.table(L))
	return 2
}

// luaWait is eco.internal.sys.wait(pid, [timeout]): pid and the status
// table once the child started by exec has ended, or nil, 'timeout'. A pid
// whose status was already taken (or that exec did not start) never ends,
// so the call times out, as a second wait does in lua-eco.
func (s *state) luaWait(L *lua.LState) int {
	pid := int(luaarg.CheckInteger(L, 1, "wait"))
	var timeout time.Duration
	if L.Get(2) != lua.LNil {
		sec := luaarg.GoFloats.CheckNumber(L, 2, "wait")
		timeout = time.Duration(sec * float64(time.Second))
		if timeout <= 0 {
			timeout = time.Nanosecond
		}
	}
	t := s.rt.MustTask(L)
	c := s.children[pid]
	if c == nil {
		if timeout == 0 {
			// Nothing can wake this wait; like lua-eco's cond it does
			// not keep the runtime alive.
			_, _ = t.Suspend(0)
		} else {
			_, _ = t.Suspend(timeout)
		}
		return pushErr(L, "timeout")
	}
	if !c.exited() {
		waitChild(t, c, timeout)
	}
	if s.children[pid] != c || !c.exited() {
		// Timed out, or another task took the status meanwhile.
		return pushErr(L, "timeout")
	}
	return s.consume(L, c)
}

// waitChild releases the token until c ends or timeout (0: none) passes.
func waitChild(t *runtime.Task, c *child, timeout time.Duration) {
	_ = t.Block(func(ctx context.Context) error {
		var expired <-chan time.Time
		if timeout > 0 {
			timer := time.NewTimer(timeout)
			defer timer.Stop()
			expired = timer.C
		}
		select {
		case <-c.done:
		case <-expired:
		case <-ctx.Done():
		}
		return nil
	})
}

// luaWaitpid is sys.waitpid(pid): a non-blocking check. It returns pid and
// the status table if the child has ended, 0 and an empty table if it is
// still running, or nil and the error text. Children started by exec are
// answered from their reaper; pid <= 0 (any child) looks only at those, so
// that it cannot steal the status of a child some other Go code waits for.
func (s *state) luaWaitpid(L *lua.LState) int {
	pid := int(luaarg.CheckInteger(L, 1, "waitpid"))
	if c := s.children[pid]; c != nil {
		if c.exited() {
			return s.consume(L, c)
		}
		return pushRunning(L)
	}
	if pid <= 0 {
		if len(s.children) == 0 {
			return pushErr(L, strerror(syscall.ECHILD))
		}
		for _, c := range s.children {
			if c.exited() {
				return s.consume(L, c)
			}
		}
		return pushRunning(L)
	}
	var ws syscall.WaitStatus
	got, err := syscall.Wait4(pid, &ws, syscall.WNOHANG|syscall.WUNTRACED, nil)
	if err != nil {
		return pushErr(L, fdio.Strerror(err))
	}
	if got == 0 {
		return pushRunning(L)
	}
	L.Push(lua.LNumber(got))
	t := L.NewTable()
	switch {
	case ws.Exited():
		t.RawSetString("exited", lua.LTrue)
		t.RawSetString("status", lua.LNumber(ws.ExitStatus()))
	case ws.Signaled():
		t.RawSetString("signaled", lua.LTrue)
		t.RawSetString("status", lua.LNumber(int(ws.Signal())))
	default:
		t.RawSetString("status", lua.LNumber(int(ws)))
	}
	L.Push(t)
	return 2
}

func pushRunning(L *lua.LState) int {
	L.Push(lua.LNumber(0))
	L.Push(L.NewTable())
	return 2
}
