package sys

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	"github.com/golua-ws/golua-ws/runtime"
	"github.com/golua-ws/golua-ws/runtime/lua54"
	lua "github.com/yuin/gopher-lua"
)

const signalTypeName = "eco.sys.signal"

// maxSignal is the highest signal number Linux has (SIGRTMAX).
const maxSignal = 64

// listener is one sys.signal handle: a task that waits for the signal and
// calls the callback each time it arrives, until close.
type listener struct {
	sig  syscall.Signal
	ch   chan os.Signal
	stop chan struct{}
	open bool
}

// luaSignal is sys.signal(signum, cb, ...): a handle whose task calls
// cb(...) each time signum arrives, or nil and the error text. SIGCHLD is
// refused, as in lua-eco, whose scheduler reserves it.
func (s *state) luaSignal(L *lua.LState) int {
	signum := luaarg.CheckInteger(L, 1, "signal")
	if signum == int64(syscall.SIGCHLD) {
		luaarg.AssertFailed(L, "SIGCHLD is reserved by eco scheduler")
	}
	cb, ok := L.Get(2).(*lua.LFunction)
	if !ok {
		luaarg.TypeError(L, 2, "signal", "function")
	}
	if signum < 1 || signum > maxSignal || signum == int64(syscall.SIGKILL) || signum == int64(syscall.SIGSTOP) {
		return pushErr(L, strerror(syscall.EINVAL))
	}
	var args []lua.LValue
	for i := 3; i <= L.GetTop(); i++ {
		args = append(args, L.Get(i))
	}
	ln := &listener{
		sig:  syscall.Signal(signum),
		ch:   make(chan os.Signal, 4),
		stop: make(chan struct{}),
		open: true,
	}
	signal.Notify(ln.ch, ln.sig)
	s.suppress(ln.sig)
	if s.rt.Start("eco.sys.signal", runtime.Immediate, func(t *runtime.Task) error {
		return ln.run(t, cb, args)
	}) == nil {
		s.closeListener(ln)
		s.rt.RaiseStartError(L)
	}
	ud := L.NewUserData()
	ud.Value = ln
	L.SetMetatable(ud, L.GetTypeMetatable(signalTypeName))
	L.Push(ud)
	return 1
}

// run is the listener's task: wait for the signal without the token, then
// call the callback with it. An error in the callback ends the listener
// and is reported like any task error.
func (ln *listener) run(t *runtime.Task, cb *lua.LFunction, args []lua.LValue) error {
	// Also on runtime shutdown, where Block ends the task by running the
	// deferred calls.
	defer signal.Stop(ln.ch)
	for {
		got := false
		_ = t.Block(func(ctx context.Context) error {
			select {
			case <-ln.ch:
				got = true
			case <-ln.stop:
			case <-ctx.Done():
			}
			return nil
		})
		if !got || !ln.open {
			return nil
		}
		L := t.L
		L.Push(cb)
		for _, a := range args {
			L.Push(a)
		}
		if err := lua54.PCall(L, len(args), 0, nil); err != nil {
			return err
		}
	}
}

// suppress turns the runtime's own action for sig (SIGINT and SIGTERM shut
// it down, SIGHUP reloads) off while a listener has it, as lua-eco's
// blocking of the signal does.
func (s *state) suppress(sig syscall.Signal) {
	s.suppressed[sig]++
	if s.suppressed[sig] == 1 {
		s.rt.SetSignalHandler(sig, func(os.Signal) {})
	}
}

func (s *state) unsuppress(sig syscall.Signal) {
	s.suppressed[sig]--
	if s.suppressed[sig] <= 0 {
		delete(s.suppressed, sig)
		s.rt.SetSignalHandler(sig, nil)
	}
}

// closeListener stops delivery and ends the listener's task; idempotent.
func (s *state) closeListener(ln *listener) {
	if !ln.open {
		return
	}
	ln.open = false
	signal.Stop(ln.ch)
	close(ln.stop)
	s.unsuppress(ln.sig)
}

func (s *state) signalMeta(L *lua.LState) {
	mt := L.NewTypeMetatable(signalTypeName)
	methods := L.NewTable()
	closeFn := L.NewFunction(func(L *lua.LState) int {
		if ud, ok := L.Get(1).(*lua.LUserData); ok {
			if ln, ok := ud.Value.(*listener); ok {
				s.closeListener(ln)
				return 0
			}
		}
		luaarg.Method("close").TypeError(L, 1, signalTypeName)
		return 0
	})
	methods.RawSetString("close", closeFn)
	mt.RawSetString("__index", methods)
	mt.RawSetString("__close", closeFn)
	mt.RawSetString("__name", lua.LString(signalTypeName))
}
