// Package runtime runs Lua scripts on one gopher-lua VM with a scheduler that
// maps every Lua task to a goroutine.
//
// # Tasks and the VM token
//
// A Runtime owns exactly one Lua VM (a *lua.LState and the global state its
// threads share). Every unit of Lua work — the main chunk, eco.run, task.fork,
// each HTTP handler, each accepted connection — is a Task: a goroutine with a
// gopher-lua thread of its own. gopher-lua is not goroutine-safe, so a task
// runs Lua only while it holds the VM token. The token is handed over in FIFO
// order through the ready queue, so tasks that become ready first run first.
//
// A Go binding that may block (a socket read, a sleep, a DNS lookup) calls
// Task.Block, which releases the token around the blocking call and queues
// for it again afterwards. Because a blocked task is an ordinary parked
// goroutine whose Lua stack is left as it was, blocking works everywhere Lua
// code can call a function: inside pcall and xpcall, inside generic-for
// iterators and metamethods, and inside Lua's own coroutines.
//
// Lua's coroutines (runtime/lua54lib) are goroutines too, each with a thread
// of its own, but not tasks: coroutine.resume hands control to the
// coroutine's goroutine and waits, so the coroutine runs on its resumer's
// token and Current still returns the resumer's task. A binding that blocks
// inside a coroutine therefore blocks that task, and L.G.CurrentThread is
// the coroutine's thread while it runs. The main chunk's thread is the main
// thread for coroutine.running; other tasks' threads are not, and a plain
// coroutine.yield on them parks the task (ResumeYielded). Close and Exit end
// the goroutines of suspended coroutines as well.
//
// Bindings that wait for another task (channels, condition variables,
// task.wait) use Task.Suspend and Task.Resume instead. A suspended task with
// no timeout does not keep the process alive: when no task runs and nothing
// outside the VM (a timer, a listener, a socket a task waits on) can wake one,
// the Runtime is idle and the command exits.
//
// # Parking: idle tasks without a goroutine
//
// A task started with StartLua (the HTTP handlers of both dialects, hence
// every server-side WebSocket) runs its Lua function by LState.Resume on a
// thread of its own instead of by a protected call. Such a task may give up
// its goroutine while it waits for a socket (Task.Park): its thread yields
// back to the Resume, the goroutine ends, and the socket waits in the
// runtime's epoll instance; when the socket becomes readable (or the
// connection layer calls Unpark), a new goroutine takes the token, finishes
// the Go function the thread yielded from and resumes the thread. So a task
// is a goroutine while it runs or blocks, but not necessarily for its whole
// life. Park works only from a Go function called directly by the task's
// own Lua code — not under pcall, a metamethod, an iterator, a sort
// comparator or a coroutine — and refuses otherwise; the caller then blocks
// as described above. The WebSocket layer parks a read that has waited 1 s
// (luamod/websocket), which is what keeps an idle connection small.
//
// # Goroutine rules
//
// Everything that touches the Lua state (the LState, its tables, functions and
// threads) must happen while holding the token: inside a Lua binding, or in a
// task body. The exceptions are documented on each method: New, the Option
// functions and RegisterModule before the first script runs; Exit, Close,
// Context, Wait and Done from any goroutine.
package runtime
