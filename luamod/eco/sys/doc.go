// Package sys provides lua-eco's "eco.sys" module: process and system
// functions (getpid, uptime, getpwnam, kill, ...), child processes with
// pipes to their stdout and stderr (exec, sh), and signal listeners.
//
// Child processes are started with os.StartProcess, not a raw fork: the Go
// runtime is multi-threaded, so only fork+exec is safe, and Go's fork
// already clears the child's signal mask and handlers (what lua-eco does by
// hand before execvp). Each child is reaped by a goroutine blocked in
// os.Process.Wait, which waits for that one pid only; nothing here installs
// a SIGCHLD handler or calls waitpid(-1), so the statuses of children that
// other Go code started are never stolen.
//
// Signals are received through os/signal, not signalfd: the Go runtime owns
// the threads' signal masks, so a signal cannot be blocked process-wide.
// A listener suppresses the runtime's default action for its signal (as
// lua-eco's blocking does) while it is open.
//
// sys.spawn (fork and run a Lua function in the child) cannot fork: after
// a plain fork a Go process has one thread and its scheduler, timers and
// garbage collector cannot go on. It starts a new golua-ws process that
// compiles the function's source file again and runs that function with
// copies of its upvalues (see luaSpawn for what can be copied).
package sys
