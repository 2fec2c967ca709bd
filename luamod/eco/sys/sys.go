package sys

import (
	"bufio"
	_ "embed"
	"fmt"
	"os"
	goruntime "runtime"
	"strconv"
	"strings"
	"syscall"

	"github.com/golua-ws/golua-ws/luamod/eco/fdio"
	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
)

// moduleSource is eco.sys's Lua half: the process handle, sh and the
// module table that falls back to eco.internal.sys, as lua-eco layers it.
//
//go:embed sys.lua
var moduleSource []byte

// prSetPdeathsig is Linux's PR_SET_PDEATHSIG prctl option.
const prSetPdeathsig = 1

// state is eco.sys's per-runtime state, touched only while holding the VM
// token.
type state struct {
	rt       *runtime.Runtime
	children map[int]*child
	// suppressed counts the open listeners per signal; while it is not
	// zero the runtime's default action for that signal is off.
	suppressed map[syscall.Signal]int
}

// Register makes "eco.sys" and "eco.internal.sys" available to require.
func Register(rt *runtime.Runtime) {
	s := &state{
		rt:         rt,
		children:   make(map[int]*child),
		suppressed: make(map[syscall.Signal]int),
	}
	rt.RegisterModule("eco.internal.sys", s.openInternal)
	rt.RegisterModule("eco.sys", s.openSys)
}

func (s *state) openSys(L *lua.LState) int {
	fn, err := s.rt.Compile(moduleSource, "@eco/sys.lua")
	if err != nil {
		L.RaiseError("eco.sys: %v", err)
	}
	L.Push(fn)
	L.Call(0, 1)
	return 1
}

func (s *state) openInternal(L *lua.LState) int {
	mod := L.NewTable()
	L.SetFuncs(mod, map[string]lua.LGFunction{
		"uptime":     luaUptime,
		"getpid":     luaGetpid,
		"getppid":    luaGetppid,
		"getpwnam":   luaGetpwnam,
		"get_nprocs": luaGetNprocs,
		"strerror":   luaStrerror,
		"prctl":      luaPrctl,
		"kill":       luaKill,
		"exec":       s.luaExec,
		"wait":       s.luaWait,
		"waitpid":    s.luaWaitpid,
		"signal":     s.luaSignal,
		"spawn":      s.luaSpawn,
		"spawned":    s.luaSpawned,
	})
	for name, v := range constants() {
		mod.RawSetString(name, lua.LNumber(v))
	}
	s.signalMeta(L)
	L.Push(mod)
	return 1
}

// constants are the signal, errno, sigprocmask and prctl numbers lua-eco
// exports, with Linux's values.
func constants() map[string]int {
	c := map[string]int{
		"SIG_BLOCK":        0,
		"SIG_UNBLOCK":      1,
		"SIG_SETMASK":      2,
		"PR_SET_PDEATHSIG": prSetPdeathsig,
	}
	for name, sig := range map[string]syscall.Signal{
		"SIGABRT": syscall.SIGABRT, "SIGALRM": syscall.SIGALRM, "SIGBUS": syscall.SIGBUS,
		"SIGCHLD": syscall.SIGCHLD, "SIGCONT": syscall.SIGCONT, "SIGFPE": syscall.SIGFPE,
		"SIGHUP": syscall.SIGHUP, "SIGINT": syscall.SIGINT, "SIGIO": syscall.SIGIO,
		"SIGIOT": syscall.SIGIOT, "SIGKILL": syscall.SIGKILL, "SIGPIPE": syscall.SIGPIPE,
		"SIGPOLL": syscall.SIGPOLL, "SIGPROF": syscall.SIGPROF, "SIGPWR": syscall.SIGPWR,
		"SIGQUIT": syscall.SIGQUIT, "SIGSEGV": syscall.SIGSEGV, "SIGSTKFLT": syscall.SIGSTKFLT,
		"SIGSTOP": syscall.SIGSTOP, "SIGSYS": syscall.SIGSYS, "SIGTERM": syscall.SIGTERM,
		"SIGTRAP": syscall.SIGTRAP, "SIGTSTP": syscall.SIGTSTP, "SIGTTIN": syscall.SIGTTIN,
		"SIGTTOU": syscall.SIGTTOU, "SIGURG": syscall.SIGURG, "SIGUSR1": syscall.SIGUSR1,
		"SIGUSR2": syscall.SIGUSR2, "SIGVTALRM": syscall.SIGVTALRM, "SIGWINCH": syscall.SIGWINCH,
		"SIGXCPU": syscall.SIGXCPU, "SIGXFSZ": syscall.SIGXFSZ,
	} {
		c[name] = int(sig)
	}
	for name, e := range map[string]syscall.Errno{
		"EPERM": syscall.EPERM, "ENOENT": syscall.ENOENT, "ESRCH": syscall.ESRCH,
		"EINTR": syscall.EINTR, "EIO": syscall.EIO, "ENXIO": syscall.ENXIO,
		"E2BIG": syscall.E2BIG, "ENOEXEC": syscall.ENOEXEC, "EBADF": syscall.EBADF,
		"ECHILD": syscall.ECHILD, "EAGAIN": syscall.EAGAIN, "ENOMEM": syscall.ENOMEM,
		"EACCES": syscall.EACCES, "EFAULT": syscall.EFAULT, "ENOTBLK": syscall.ENOTBLK,
		"EBUSY": syscall.EBUSY, "EEXIST": syscall.EEXIST, "EXDEV": syscall.EXDEV,
		"ENODEV": syscall.ENODEV, "ENOTDIR": syscall.ENOTDIR, "EISDIR": syscall.EISDIR,
		"EINVAL": syscall.EINVAL, "ENFILE": syscall.ENFILE, "EMFILE": syscall.EMFILE,
		"ENOTTY": syscall.ENOTTY, "ETXTBSY": syscall.ETXTBSY, "EFBIG": syscall.EFBIG,
		"ENOSPC": syscall.ENOSPC, "ESPIPE": syscall.ESPIPE, "EROFS": syscall.EROFS,
		"EMLINK": syscall.EMLINK, "EPIPE": syscall.EPIPE, "EDOM": syscall.EDOM,
		"ERANGE": syscall.ERANGE,
	} {
		c[name] = int(e)
	}
	return c
}

func pushErr(L *lua.LState, msg string) int {
	L.Push(lua.LNil)
	L.Push(lua.LString(msg))
	return 2
}

// strerror is the C library's text for e.
func strerror(e syscall.Errno) string { return fdio.Strerror(e) }

// luaUptime is sys.uptime(): seconds since boot, from sysinfo(2).
func luaUptime(L *lua.LState) int {
	var info syscall.Sysinfo_t
	if err := syscall.Sysinfo(&info); err != nil {
		return pushErr(L, fdio.Strerror(err))
	}
	L.Push(lua.LNumber(info.Uptime))
	return 1
}

func luaGetpid(L *lua.LState) int {
	L.Push(lua.LNumber(os.Getpid()))
	return 1
}

func luaGetppid(L *lua.LState) int {
	L.Push(lua.LNumber(os.Getppid()))
	return 1
}

// luaGetNprocs is sys.get_nprocs(). It reports the processors this process
// may run on (Go's NumCPU honours the affinity mask), which is what
// get_nprocs gives unless the process was pinned to fewer CPUs.
func luaGetNprocs(L *lua.LState) int {
	L.Push(lua.LNumber(goruntime.NumCPU()))
	return 1
}

func luaStrerror(L *lua.LState) int {
	n := luaarg.CheckInteger(L, 1, "strerror")
	L.Push(lua.LString(strerror(syscall.Errno(n))))
	return 1
}

// luaPrctl is sys.prctl(option, arg): only PR_SET_PDEATHSIG is supported,
// as in lua-eco.
func luaPrctl(L *lua.LState) int {
	option := luaarg.CheckInteger(L, 1, "prctl")
	if option != prSetPdeathsig {
		return pushErr(L, "unsupported option")
	}
	sig := luaarg.CheckInteger(L, 2, "prctl")
	if _, _, e := syscall.RawSyscall(syscall.SYS_PRCTL, prSetPdeathsig, uintptr(sig), 0); e != 0 {
		return pushErr(L, strerror(e))
	}
	L.Push(lua.LTrue)
	return 1
}

// luaKill is sys.kill(pid, sig): true, or nil and the error text.
func luaKill(L *lua.LState) int {
	pid := luaarg.CheckInteger(L, 1, "kill")
	sig := luaarg.CheckInteger(L, 2, "kill")
	if err := syscall.Kill(int(pid), syscall.Signal(sig)); err != nil {
		return pushErr(L, fdio.Strerror(err))
	}
	L.Push(lua.LTrue)
	return 1
}

// passwdPath is the user database getpwnam reads.
const passwdPath = "/etc/passwd"

// luaGetpwnam is sys.getpwnam(name): the user's entry as a table (username,
// password, uid, gid, home, shell), or nil, 'not found'. It reads
// /etc/passwd; users known only to other NSS sources (LDAP, systemd's
// dynamic users) are not found.
func luaGetpwnam(L *lua.LState) int {
	name := luaarg.CheckString(L, 1, "getpwnam")
	fields, err := lookupPasswd(passwdPath, name)
	if err != nil {
		return pushErr(L, fdio.Strerror(err))
	}
	if fields == nil {
		return pushErr(L, "not found")
	}
	uid, err1 := strconv.Atoi(fields[2])
	gid, err2 := strconv.Atoi(fields[3])
	if err1 != nil || err2 != nil {
		return pushErr(L, fmt.Sprintf("getpwnam: bad entry for %q in %s", name, passwdPath))
	}
	t := L.NewTable()
	t.RawSetString("username", lua.LString(fields[0]))
	t.RawSetString("password", lua.LString(fields[1]))
	t.RawSetString("uid", lua.LNumber(uid))
	t.RawSetString("gid", lua.LNumber(gid))
	t.RawSetString("home", lua.LString(fields[5]))
	t.RawSetString("shell", lua.LString(fields[6]))
	L.Push(t)
	return 1
}

// lookupPasswd returns the seven fields of name's line in a passwd file, or
// nil if there is none.
func lookupPasswd(path, name string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("getpwnam: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		fields := strings.Split(line, ":")
		if len(fields) == 7 && fields[0] == name {
			return fields, nil
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("getpwnam: reading %s: %w", path, err)
	}
	return nil, nil
}
