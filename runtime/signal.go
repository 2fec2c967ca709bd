package runtime

import (
	"context"
	"os"
	"syscall"
)

// SetSignalHandler makes Signal(sig) call fn instead of the default action;
// a nil fn restores the default. fn runs on the signal-delivering goroutine
// without the token; to run Lua it must start a task. Safe from any
// goroutine.
func (rt *Runtime) SetSignalHandler(sig os.Signal, fn func(os.Signal)) {
	rt.closeMu.Lock()
	defer rt.closeMu.Unlock()
	if rt.sigHandlers == nil {
		rt.sigHandlers = make(map[os.Signal]func(os.Signal))
	}
	if fn == nil {
		delete(rt.sigHandlers, sig)
		return
	}
	rt.sigHandlers[sig] = fn
}

// Signal delivers an OS signal to the runtime. Without a handler set by a
// module, SIGINT and SIGTERM shut the runtime down gracefully (Shutdown,
// bounded by the shutdown timeout; a second signal exits at once) and then
// exit with code 0 for SIGINT and 143 for SIGTERM (128+15, what a process
// killed by SIGTERM reports); SIGHUP reloads the changed modules (see
// Reload).
func (rt *Runtime) Signal(sig os.Signal) {
	rt.closeMu.Lock()
	fn := rt.sigHandlers[sig]
	rt.closeMu.Unlock()
	if fn != nil {
		fn(sig)
		return
	}
	switch sig {
	case syscall.SIGHUP:
		go rt.reloadAndReport(context.Background())
	case syscall.SIGUSR1, syscall.SIGUSR2:
		// Ignored unless a module handles them (silly reopens its log).
	case syscall.SIGTERM:
		rt.shutdownOnSignal(143)
	default:
		rt.shutdownOnSignal(0)
	}
}
