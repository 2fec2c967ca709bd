package runtime

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/golua-ws/golua-ws/runtime/lua54"
	"github.com/golua-ws/golua-ws/runtime/lua54lib"
	lua "github.com/yuin/gopher-lua"
)

// Per-thread sizes. gopher-lua's defaults (a 5120-slot registry and a fixed
// 256-frame call stack) cost about 100 KiB per thread; a task must be cheap,
// so threads start small and grow on demand. 32 registry slots hold a
// WebSocket handler of either dialect parked in its read (measured on the
// echo scripts: no registry growth with 2,000 idle connections); a thread
// that needs more grows by 64 slots at a time.
const (
	defaultRegistrySize    = 128
	threadRegistrySize     = 32
	defaultRegistryGrow    = 64
	defaultRegistryMax     = 1 << 20
	defaultCallStackFrames = 1024
)

// Runtime is one Lua VM with its scheduler. Create it with New, register
// modules, run scripts with RunFile or RunString, and release it with Close.
type Runtime struct {
	// L is the VM's main state. Touch it only while holding the token.
	L *lua.LState

	s      sched
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	cur    *Task
	tasks  map[*lua.LState]*Task
	nextID uint64

	exitOnce sync.Once
	exitCode int
	exited   chan struct{}

	opts     options
	onError  func(t *Task, msg string)
	compiler Compiler
	closers  []func()
	closeMu  sync.Mutex

	sigHandlers map[os.Signal]func(os.Signal)
	shut        shutdownState
	services    services
	args        []string

	reloadMu sync.Mutex
	modules  map[string]*moduleFile

	threadPool []*lua.LState // threads of finished ReuseThread tasks (token)

	// Parking (park.go): the poller, made on first park, and the function
	// StartLua threads start in with its raise-hook installer (token).
	pk            atomic.Pointer[poller]
	luaTrampoline *lua.LFunction
	coWrap        *lua.LFunction // gopher-lua's own coroutine.wrap
	coNoop        *lua.LFunction
	wrappedPool   []*lua.LState // threads of finished StartLua tasks (token)
	freshWrapped  []*lua.LState // wrapped threads made ahead, never run (token)

	// mainThread is the thread of the task running the main chunk
	// (RunFile, RunString): coroutine.running there says it is the main
	// thread, as in a standalone lua. Token.
	mainThread *lua.LState

	holder atomic.Pointer[Task] // the token holder, for the watchdog
	// epoch is the runtime's start: a task's run start is kept as the
	// monotonic time since it (one clock read per token grant, where
	// time.Now reads two clocks).
	epoch time.Time
	// acquires counts token grants (TokenAcquires); the idle collector
	// tells an idle VM by it not moving. Only the holder writes it, so
	// it is bumped with a load and a store, not a locked add, on the
	// hottest path there is. idleGCs counts idle-time collections
	// (WithIdleGC).
	acquires atomic.Uint64
	idleGCs  atomic.Uint64
	live     atomic.Int64 // live tasks, for WithMaxTasks
	// taskErrors counts tasks that ended with an uncaught error
	// (TaskErrors, for the metrics).
	taskErrors atomic.Uint64
}

// LiveTasks returns the number of tasks started and not yet ended. Safe
// from any goroutine.
func (rt *Runtime) LiveTasks() int64 { return rt.live.Load() }

// TaskErrors returns how many tasks have ended with an uncaught error.
// Safe from any goroutine.
func (rt *Runtime) TaskErrors() uint64 { return rt.taskErrors.Load() }

// isMainThread reports whether th is the VM's main state or the thread of
// the main chunk's task. Token required.
func (rt *Runtime) isMainThread(th *lua.LState) bool {
	return th == rt.L || (th == rt.mainThread && th != nil)
}

// TokenAcquires returns how many times a task has taken the VM token so
// far. Tests and benchmarks divide it by the messages a script handled to
// check that a binding gives the token up and takes it back at most once
// per message. Safe from any goroutine.
func (rt *Runtime) TokenAcquires() uint64 { return rt.acquires.Load() }

// ScriptArgs returns the arguments given to the main script (after its
// name). silly.env reads its --key=value entries from here.
func (rt *Runtime) ScriptArgs() []string { return rt.args }

// Compiler turns Lua source into a function prototype. chunkName follows
// Lua's conventions: "@file.lua" for files, "=name" for literal names, and
// anything else is the source text itself.
type Compiler func(src []byte, chunkName string) (*lua.FunctionProto, error)

type options struct {
	stdout, stderr  io.Writer
	logger          *slog.Logger
	logOnly         bool // WithStructuredLog: no plain text on stderr
	logLevel        slog.Level
	logLevelSet     bool
	fatalErrors     bool
	tokenWait       func(seconds float64)
	packagePath     []string
	callStack       int
	compiler        Compiler
	watchdog        time.Duration
	idleGC          time.Duration
	watchdogCancel  bool
	maxTasks        int
	shutdownTimeout time.Duration
	setup           []func(*lua.LState)
	services        map[any]any
}

// Option configures a Runtime in New.
type Option func(*options)

// WithStdout sets where print and the io library's stdout go (default
// os.Stdout).
func WithStdout(w io.Writer) Option { return func(o *options) { o.stdout = w } }

// WithStderr sets where error reports and warnings go (default os.Stderr).
func WithStderr(w io.Writer) Option { return func(o *options) { o.stderr = w } }

// WithLogger sets a structured logger that gets a copy of every runtime
// report (task errors at error level, reloads, watchdog reports; see
// Report) beside the plain text on Stderr. Default: none. To have the
// logger alone, the scripts' loggers included, use WithStructuredLog.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// WithFatalErrors makes an uncaught error in any task end the whole runtime
// with exit code 1, as lua-eco does. By default only that task ends.
func WithFatalErrors(on bool) Option { return func(o *options) { o.fatalErrors = on } }

// WithTokenWaitObserver has observe called with how long each task that
// became ready waited for the VM token (a metrics histogram's Observe). It
// runs on the task's goroutine as it takes the token, so it must be cheap
// and safe from any goroutine. Without it the scheduler reads no clock for
// this.
func WithTokenWaitObserver(observe func(seconds float64)) Option {
	return func(o *options) { o.tokenWait = observe }
}

// WithPackagePath prepends entries to package.path. An entry without a '?'
// is a directory and becomes "dir/?.lua;dir/?/init.lua".
func WithPackagePath(entries ...string) Option {
	return func(o *options) { o.packagePath = append(o.packagePath, entries...) }
}

// WithCallStackSize sets the maximum Lua call depth per task (default 1024).
func WithCallStackSize(frames int) Option { return func(o *options) { o.callStack = frames } }

// WithCompiler replaces the Lua front-end used by every loader. The default
// is the Lua 5.4 front-end, runtime/lua54; GopherLua51 is gopher-lua's own
// Lua 5.1 parser.
func WithCompiler(c Compiler) Option { return func(o *options) { o.compiler = c } }

// WithSetup runs fn on the main state once the standard libraries are open,
// before any script. Library extensions use it.
func WithSetup(fn func(L *lua.LState)) Option {
	return func(o *options) { o.setup = append(o.setup, fn) }
}

// New creates a Runtime with its own VM. Nothing runs until RunFile,
// RunString or Start.
func New(opts ...Option) *Runtime {
	o := options{stdout: os.Stdout, stderr: os.Stderr, callStack: defaultCallStackFrames}
	for _, opt := range opts {
		opt(&o)
	}
	if o.compiler == nil {
		o.compiler = lua54.Compile
	}
	L := lua.NewState(lua.Options{
		RegistrySize:        defaultRegistrySize,
		RegistryGrowStep:    defaultRegistryGrow,
		RegistryMaxSize:     defaultRegistryMax,
		CallStackSize:       o.callStack,
		MinimizeStackMemory: true,
	})
	// gopher-lua's NewState raises a registry below 128 slots to 5120;
	// task threads (NewThread copies these options) may start smaller.
	L.Options.RegistrySize = threadRegistrySize
	ctx, cancel := context.WithCancel(context.Background())
	rt := &Runtime{
		L:        L,
		ctx:      ctx,
		cancel:   cancel,
		tasks:    make(map[*lua.LState]*Task),
		exited:   make(chan struct{}),
		opts:     o,
		compiler: o.compiler,
		epoch:    time.Now(),
	}
	rt.s.idleNotify = make(chan struct{}, 1)
	rt.services.m = o.services
	rt.shut.init()
	lua54.OpenRuntime(L)
	lua54lib.OpenWithOptions(L, lua54lib.Options{
		Stderr:       o.stderr,
		Warn:         rt.structuredWarn(),
		IsMainThread: rt.isMainThread,
		Done:         ctx.Done(),
	})
	rt.installBase()
	for _, fn := range o.setup {
		fn(L)
	}
	if o.idleGC > 0 {
		rt.startIdleGC()
	}
	if o.watchdog > 0 {
		rt.startWatchdog()
	}
	return rt
}

// Context is cancelled when the runtime exits or is closed. Bindings tie the
// lifetime of sockets and listeners to it. Safe from any goroutine.
func (rt *Runtime) Context() context.Context { return rt.ctx }

// Stdout returns the writer print uses.
func (rt *Runtime) Stdout() io.Writer { return rt.opts.stdout }

// Stderr returns the writer error reports use.
func (rt *Runtime) Stderr() io.Writer { return rt.opts.stderr }

// Logger returns the runtime's structured logger, or nil.
func (rt *Runtime) Logger() *slog.Logger { return rt.opts.logger }

// Current returns the task holding the token, that is, the task running the
// calling binding. It returns nil outside any task.
func (rt *Runtime) Current() *Task { return rt.cur }

// TaskOf returns the task whose own thread is th, or nil (th may be a plain
// coroutine, or a finished task). Token required.
func (rt *Runtime) TaskOf(th *lua.LState) *Task { return rt.tasks[th] }

// Tasks calls fn for every live task. Token required.
func (rt *Runtime) Tasks(fn func(*Task)) {
	for _, t := range rt.tasks {
		fn(t)
	}
}

// TaskCount returns the number of live tasks. Token required.
func (rt *Runtime) TaskCount() int { return len(rt.tasks) }

// ReadyCount returns the number of tasks waiting for the token.
func (rt *Runtime) ReadyCount() int {
	rt.s.mu.Lock()
	defer rt.s.mu.Unlock()
	return rt.s.readyCountLocked()
}

// SetErrorHandler replaces how uncaught task errors are reported. fn runs
// holding the token; msg is the error message followed by a traceback. The
// default writes msg to Stderr. Token required (or before any task runs).
func (rt *Runtime) SetErrorHandler(fn func(t *Task, msg string)) { rt.onError = fn }

// StartMode says when a new task first runs.
type StartMode int

const (
	// Queued tasks join the back of the ready queue and run after the
	// tasks already ready (silly's task.fork, work arriving from Go).
	Queued StartMode = iota
	// Immediate tasks run at once on the calling task's token; the call
	// returns when the new task first blocks or finishes (eco.run). Only a
	// task holding the token may start one.
	Immediate

	// ReuseThread, or-ed into a mode (Queued|ReuseThread), runs the task on
	// a thread left by an earlier such task that finished without an error,
	// and gives the thread back when this one finishes the same way. It
	// saves most of the cost of starting a task, for tasks whose thread Lua
	// never keeps (an HTTP handler, a connection): a script holding the
	// thread of a finished task would see it come alive again.
	ReuseThread StartMode = 1 << 4

	// wrappedThread (StartLua) runs the task on a wrapped thread.
	wrappedThread StartMode = 1 << 5
)

// maxPooledThreads bounds the thread pool of ReuseThread tasks.
const maxPooledThreads = 256

// Start creates a task that runs body on a fresh thread of its own. body
// runs holding the token; if it returns an error (usually a *lua.ApiError
// from PCall), the error is reported as an uncaught task error. Start may be
// called from any goroutine in Queued mode; Immediate mode needs the caller
// to hold the token. After Exit or Close, Start returns nil.
func (rt *Runtime) Start(name string, mode StartMode, body func(t *Task) error) *Task {
	return rt.StartOn(nil, name, mode, body)
}

// NewThread creates a Lua thread with the runtime's settings (small,
// growable stacks), for StartOn. Token required.
func (rt *Runtime) NewThread() *lua.LState {
	th, _ := rt.L.NewThread()
	lua54.ShareAllocator(th, rt.L)
	return th
}

// StartOn is Start on a thread the caller made (NewThread) or kept from a
// finished task — silly's task.fork returns the new task's thread before it
// runs, and reuses the threads of finished tasks. A nil th makes a fresh
// thread, as Start does. The thread must not belong to a live task.
func (rt *Runtime) StartOn(th *lua.LState, name string, mode StartMode, body func(t *Task) error) *Task {
	if rt.ctx.Err() != nil {
		return nil
	}
	if max := rt.opts.maxTasks; max > 0 && rt.live.Load() >= int64(max) {
		return nil
	}
	// The WaitGroup counts the task before anything can observe it as
	// live (live is atomic): Close, once it sees a task, waits for it.
	rt.wg.Add(1)
	rt.live.Add(1)
	s := &rt.s
	s.mu.Lock()
	rt.nextID++
	t := &Task{
		rt:   rt,
		L:    th,
		id:   rt.nextID,
		name: name,
		wake: make(chan struct{}, 1),
		done: make(chan struct{}),
	}
	s.busy++
	t.reuse = mode&ReuseThread != 0
	t.wrapped = mode&wrappedThread != 0
	mode &^= ReuseThread | wrappedThread
	var grant chan struct{}
	if mode == Queued {
		grant = s.pushLocked(t)
	}
	s.mu.Unlock()
	if mode == Immediate {
		parent := rt.cur
		if parent == nil {
			panic("runtime: Immediate start outside a task")
		}
		parent.saveThread()
		parent.holding = false
		parent.lentOut = true
		t.lender = parent.wake
		t.holding = true
		go rt.runTask(t, body, true)
		parent.waitGrant()
		parent.lentOut = false
		return t
	}
	signal(grant)
	go rt.runTask(t, body, false)
	return t
}

// Spawn starts fn(args...) as a new task. It is Start with a body that calls
// a Lua function in protected mode.
func (rt *Runtime) Spawn(name string, mode StartMode, fn *lua.LFunction, args ...lua.LValue) *Task {
	return rt.Start(name, mode, func(t *Task) error {
		L := t.L
		L.Push(fn)
		for _, a := range args {
			L.Push(a)
		}
		return lua54.PCall(L, len(args), 0, nil)
	})
}

func (rt *Runtime) runTask(t *Task, body func(*Task) error, lent bool) {
	// A parked task (errParked) lives on without this goroutine: whoever
	// resumes it finishes it.
	parked := false
	defer func() {
		if !parked {
			rt.finish(t)
			rt.wg.Done()
		}
	}()
	if lent {
		t.takeToken()
	} else {
		t.waitGrant()
	}
	th := t.L
	if th == nil && t.wrapped {
		if n := len(rt.wrappedPool); n > 0 && t.reuse {
			th = rt.wrappedPool[n-1]
			rt.wrappedPool = rt.wrappedPool[:n-1]
		} else {
			th = rt.takeFreshWrapped()
		}
		t.L = th
	}
	if th == nil && t.reuse && len(rt.threadPool) > 0 {
		th = rt.threadPool[len(rt.threadPool)-1]
		rt.threadPool = rt.threadPool[:len(rt.threadPool)-1]
		t.L = th
	}
	if th == nil {
		th = rt.NewThread()
		t.L = th
	}
	th.Dead = false
	rt.watchThread(t)
	rt.tasks[th] = t
	rt.L.G.CurrentThread = th
	t.saved = th
	if err := body(t); err == errParked {
		parked = true
	} else if err != nil {
		t.reuse = false
		t.err = err
		rt.reportError(t, err)
	}
}

// finish runs when a task's goroutine ends, normally or through goexit.
func (rt *Runtime) finish(t *Task) {
	if t.holding {
		if rt.ctx.Err() == nil {
			for i := len(t.onExit) - 1; i >= 0; i-- {
				t.onExit[i]()
			}
			t.runAtRelease()
		}
		if t.L != nil {
			delete(rt.tasks, t.L)
			if t.reuse && t.wrapped && rt.ctx.Err() == nil && len(rt.wrappedPool) < maxPooledThreads {
				t.L.SetTop(0)
				rt.wrappedPool = append(rt.wrappedPool, t.L)
			} else if t.reuse && !t.wrapped && rt.ctx.Err() == nil && len(rt.threadPool) < maxPooledThreads {
				t.L.SetTop(0)
				rt.threadPool = append(rt.threadPool, t.L)
			} else {
				// coroutine.status of a finished task's thread says "dead".
				t.L.Dead = true
			}
		}
		if rt.cur == t {
			rt.cur = nil
		}
	}
	close(t.done)
	rt.live.Add(-1)
	rt.holder.CompareAndSwap(t, nil)
	s := &rt.s
	s.mu.Lock()
	var next chan struct{}
	if t.holding {
		// While the token is held, an idle waiter that decBusyLocked
		// makes ready is only queued; releasing then hands the token to
		// the lender or the queue head as usual.
		s.decBusyLocked()
		next = t.releaseLocked()
	} else {
		next = s.decBusyLocked()
	}
	s.mu.Unlock()
	signal(next)
}

func (rt *Runtime) reportError(t *Task, err error) {
	if rt.ctx.Err() != nil {
		return
	}
	rt.taskErrors.Add(1)
	var L *lua.LState
	if t.holding {
		// The task still holds the token: __tostring may run on its thread.
		L = t.L
	}
	msg := errorWithTrace(L, err)
	if rt.onError != nil {
		rt.onError(t, msg)
	} else {
		rt.Report(t, slog.LevelError, msg, "uncaught Lua error", ErrorAttrs(msg)...)
	}
	if t.name == "main" || rt.opts.fatalErrors {
		rt.Exit(1)
	}
}

// Hold keeps the runtime alive (not idle) until the returned function is
// called, for example while a listener is open. Safe from any goroutine; the
// release function may be called more than once.
func (rt *Runtime) Hold() (release func()) {
	s := &rt.s
	s.mu.Lock()
	s.busy++
	s.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			next := s.decBusyLocked()
			s.mu.Unlock()
			signal(next)
		})
	}
}

// OnClose registers fn to run (without the token) when the runtime exits or
// is closed: modules close listeners and sockets there so that blocked Go
// calls return. Safe from any goroutine.
func (rt *Runtime) OnClose(fn func()) {
	rt.closeMu.Lock()
	defer rt.closeMu.Unlock()
	if rt.ctx.Err() != nil {
		go fn()
		return
	}
	rt.closers = append(rt.closers, fn)
}

// Exit ends the runtime with the given exit code: the context is cancelled,
// closers run, and every task ends at its next blocking point. The first
// call wins. Safe from any goroutine. A binding that calls Exit from a task
// should then call ExitTask so that no Lua after it runs.
func (rt *Runtime) Exit(code int) {
	rt.exitOnce.Do(func() {
		rt.exitCode = code
		rt.closeMu.Lock()
		rt.cancel()
		closers := rt.closers
		rt.closers = nil
		rt.closeMu.Unlock()
		for _, fn := range closers {
			fn()
		}
		close(rt.exited)
	})
}

// ExitTask ends the calling task's goroutine at once, without running any
// more Lua (os.exit, silly.exit). Only the task's own goroutine may call it.
func (rt *Runtime) ExitTask() { goexit() }

// Done is closed when the runtime has exited.
func (rt *Runtime) Done() <-chan struct{} { return rt.exited }

// ExitCode returns the code given to Exit (0 before).
func (rt *Runtime) ExitCode() int {
	select {
	case <-rt.exited:
		return rt.exitCode
	default:
		return 0
	}
}

// Wait blocks until the runtime exits (returning its exit code), becomes
// idle (returning 0: nothing can ever run again), or ctx is done.
func (rt *Runtime) Wait(ctx context.Context) (int, error) {
	for {
		select {
		case <-rt.exited:
			return rt.exitCode, nil
		case <-rt.s.idleNotify:
			rt.s.mu.Lock()
			idle := rt.s.busy == 0
			rt.s.mu.Unlock()
			if idle {
				select {
				case <-rt.exited:
					return rt.exitCode, nil
				case <-rt.shut.draining:
					// A graceful shutdown is under way: it ends with Exit
					// and its code (143 for SIGTERM), once its hooks
					// are done, even if no task is left to run now.
					select {
					case <-rt.exited:
						return rt.exitCode, nil
					case <-ctx.Done():
						return -1, ctx.Err()
					}
				default:
					return 0, nil
				}
			}
		case <-ctx.Done():
			return -1, ctx.Err()
		}
	}
}

// Close shuts the runtime down gracefully if it has not exited yet (see
// Shutdown: listeners stop, in-flight HTTP requests finish, every WebSocket
// gets close 1001), bounded by ctx and by the shutdown timeout, and then
// waits, up to ctx's deadline, for every task goroutine to end.
func (rt *Runtime) Close(ctx context.Context) error {
	sctx, cancel := context.WithTimeout(ctx, rt.ShutdownTimeout())
	_ = rt.Shutdown(sctx, 0)
	cancel()
	rt.Exit(0) // Shutdown returned early if ctx ended
	done := make(chan struct{})
	go func() {
		rt.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("runtime: close: tasks still running: %w", ctx.Err())
	}
}

// ErrNotInTask is raised by blocking bindings called outside any task.
var ErrNotInTask = errors.New("blocking call outside a task")

// MustTask returns the running task or raises a Lua error in L.
func (rt *Runtime) MustTask(L *lua.LState) *Task {
	if rt.cur == nil {
		L.RaiseError("%s", ErrNotInTask.Error())
	}
	return rt.cur
}

// Sleep suspends the calling task for d. d <= 0 yields to the ready tasks.
func (t *Task) Sleep(d time.Duration) {
	if d <= 0 {
		t.Yield()
		return
	}
	_ = t.Block(func(ctx context.Context) error {
		timer := time.NewTimer(d)
		defer timer.Stop()
		select {
		case <-timer.C:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
}
