package lua54lib

import (
	"runtime"
	"sync"
	"weak"

	"github.com/golua-ws/golua-ws/runtime/lua54"
	lua "github.com/yuin/gopher-lua"
)

// Coroutines run on goroutines.
//
// gopher-lua's own coroutines run inside the resumer's VM loop, so a Go
// function (pcall, a metamethod call, string.gsub, table.sort, any binding)
// between the coroutine body and its yield cannot be crossed. Here every
// coroutine is a goroutine running its body on a gopher-lua thread of its
// own (a worker thread). resume hands the values to that goroutine and
// waits; yield hands values back and parks the goroutine where it stands,
// whatever Go frames lie below it. Exactly one of the two runs at a time,
// so a coroutine runs Lua exactly when its resumer would: under the
// resumer's VM token, as if it were the resumer. A blocking binding called
// inside a coroutine therefore blocks the resumer's task, as it should.
//
// The thread value Lua sees (the handle) is not the worker thread: the
// parked goroutine holds its worker thread, and a goroutine is a GC root,
// so if Lua's value were the worker thread an abandoned coroutine could
// never be collected. The handle is a bare *lua.LState that never runs
// code; the goroutine refers to it only weakly, and a cleanup attached to
// it tells the parked goroutine to exit once the script has dropped it.

// coMsg is what travels on a coroutine's channels; the values themselves
// go through coro.vals, so a switch allocates nothing.
type coMsg uint8

const (
	// To the coroutine.
	msgResume coMsg = iota // run on with coro.vals as yield's results
	msgClose               // unwind, running pending <close> handlers
	msgQuit                // exit without running any more Lua

	// To the resumer.
	msgYield  // parked in yield; coro.vals holds the yielded values
	msgReturn // finished; coro.vals holds the results
	msgError  // finished with an error; coro.vals[0] is the error object
	msgExit   // the goroutine ended without finishing (runtime.Goexit)
)

type coStatusKind uint8

const (
	coSuspended coStatusKind = iota // created or parked in yield
	coActive                        // running, or normal (it resumed another)
	coDead
)

// maxWorkerPool bounds the worker threads kept for reuse per VM. A worker
// thread costs a gopher-lua NewThread, which allocates a whole (discarded)
// global state; reusing one saves most of the cost of creating a
// coroutine.
const maxWorkerPool = 32

// coro is one coroutine.
type coro struct {
	vm *coVM
	fn *lua.LFunction
	// wp is the handle, weakly: see the comment at the top of the file.
	wp weak.Pointer[lua.LState]
	// th is the worker thread, set at the first resume.
	th *lua.LState

	status  coStatusKind
	started bool
	closing bool // being closed: every yield raises the close signal

	// self is the handle, strongly, only while the coroutine is active
	// (coroutine.running needs it; the resumer holds it anyway then).
	self *lua.LState
	// resumer is the thread that resumed it, while it is active.
	resumer *lua.LState

	in, out chan coMsg
	vals    []lua.LValue

	errv   lua.LValue // the error that killed it, until close takes it
	hasErr bool
}

// coVM is the per-VM coroutine state.
type coVM struct {
	isMain func(*lua.LState) bool
	sig    *lua.LUserData // the close signal raised in a closing coroutine

	// mu guards the maps and the pool: cleanups and exiting goroutines of
	// abandoned coroutines touch them without holding the VM token.
	mu      sync.Mutex
	handles map[weak.Pointer[lua.LState]]*coro
	workers map[*lua.LState]*coro // worker thread → its coroutine
	pool    []*lua.LState
	// empty is a thread that never runs: what the debug library shows for
	// a coroutine that has not started or is dead.
	empty *lua.LState
	// closed is set once Options.Done is closed: every coroutine with a
	// goroutine has been told to quit, and new ones are told at once.
	closed bool
}

func openCoroutine(L *lua.LState, opts Options) *coVM {
	co := libTable(L, "coroutine")
	vm := &coVM{
		isMain:  opts.IsMainThread,
		handles: map[weak.Pointer[lua.LState]]*coro{},
		workers: map[*lua.LState]*coro{},
	}
	if vm.isMain == nil {
		vm.isMain = func(th *lua.LState) bool { return th == th.G.MainThread }
	}
	if opts.Done != nil {
		go vm.quitAllWhenDone(opts.Done)
	}
	vm.sig = L.NewUserData()
	vm.sig.Value = lua54.CloseSignal{}
	vmud := L.NewUserData()
	vmud.Value = vm
	L.G.Registry.RawSetString(coVMKey, vmud)
	register(L, co, map[string]lua.LGFunction{
		"create":      vm.luaCreate,
		"wrap":        vm.luaWrap,
		"resume":      vm.luaResume,
		"yield":       vm.luaYield,
		"status":      vm.luaStatus,
		"running":     vm.luaRunning,
		"isyieldable": vm.luaIsYieldable,
		"close":       vm.luaClose,
	})
	return vm
}

// coVMKey is where openCoroutine keeps its coVM in the registry, for the
// debug library.
const coVMKey = "golua.coroutines"

// inspectedThread is the thread whose stack the debug library shows for
// the thread value h: a coroutine's worker thread while it is suspended or
// active, a thread with an empty stack once it is dead or before it starts
// (its handle never runs Lua, and a dead coroutine's worker may already
// serve another), and h itself for other threads.
func inspectedThread(L, h *lua.LState) *lua.LState {
	ud, ok := L.G.Registry.RawGetString(coVMKey).(*lua.LUserData)
	if !ok {
		return h
	}
	vm := ud.Value.(*coVM)
	c := vm.handle(h)
	if c == nil {
		return h
	}
	if c.th != nil && c.status != coDead {
		return c.th
	}
	if vm.empty == nil {
		vm.empty, _ = L.NewThread()
	}
	return vm.empty
}

// worker returns the coroutine running on thread th, or nil.
func (vm *coVM) worker(th *lua.LState) *coro {
	vm.mu.Lock()
	c := vm.workers[th]
	vm.mu.Unlock()
	return c
}

// handle returns the coroutine whose Lua value is h, or nil.
func (vm *coVM) handle(h *lua.LState) *coro {
	vm.mu.Lock()
	c := vm.handles[weak.Make(h)]
	vm.mu.Unlock()
	return c
}

// newCoro makes a coroutine for fn and returns its handle and record.
func (vm *coVM) newCoro(L *lua.LState, fn *lua.LFunction) (*lua.LState, *coro) {
	h := &lua.LState{G: L.G, Env: L.Env, Options: L.Options}
	c := &coro{
		vm: vm,
		fn: fn,
		wp: weak.Make(h),
		// Room for a resume plus the two quit notices (abandoned, VM
		// done), which are sent without blocking.
		in: make(chan coMsg, 3),
		// Room for a yield not yet taken plus the exit notice of a
		// goroutine that quit right after it (the VM shutting down), so
		// that the exit notice is never dropped.
		out: make(chan coMsg, 2),
	}
	vm.mu.Lock()
	vm.handles[c.wp] = c
	vm.mu.Unlock()
	runtime.AddCleanup(h, (*coro).abandon, c)
	return h, c
}

// abandon runs (on the runtime's cleanup goroutine) once the handle is
// unreachable. Nothing can resume the coroutine any more: if its goroutine
// is parked in yield, it exits without running Lua (5.4 does not close the
// pending variables of a collected coroutine either).
func (c *coro) abandon() {
	vm := c.vm
	vm.mu.Lock()
	delete(vm.handles, c.wp)
	vm.mu.Unlock()
	c.quit()
}

// quit tells c's goroutine, if parked or when it next parks, to exit
// without running Lua.
func (c *coro) quit() {
	select {
	case c.in <- msgQuit:
	default:
	}
}

// quitAllWhenDone tells every coroutine goroutine to quit once done is
// closed (the runtime is shutting down); takeThread tells later ones.
func (vm *coVM) quitAllWhenDone(done <-chan struct{}) {
	<-done
	vm.mu.Lock()
	defer vm.mu.Unlock()
	vm.closed = true
	for _, c := range vm.workers {
		c.quit()
	}
}

// checkCo is 5.4's getco.
func checkCo(L *lua.LState, qualified string) *lua.LState {
	th, ok := L.Get(1).(*lua.LState)
	if !ok {
		typeError(L, 1, qualified, "thread")
	}
	return th
}

func checkFunc(L *lua.LState, qualified string) *lua.LFunction {
	fn, ok := L.Get(1).(*lua.LFunction)
	if !ok {
		typeError(L, 1, qualified, "function")
	}
	return fn
}

func (vm *coVM) luaCreate(L *lua.LState) int {
	fn := checkFunc(L, "coroutine.create")
	h, _ := vm.newCoro(L, fn)
	L.Push(h)
	return 1
}

// luaWrap is 5.4's coroutine.wrap: errors propagate to the caller, a
// string error getting the caller's position prefixed (luaL_where(L, 1)).
func (vm *coVM) luaWrap(L *lua.LState) int {
	fn := checkFunc(L, "coroutine.wrap")
	h, c := vm.newCoro(L, fn)
	// The function holds the handle (and so keeps the coroutine alive)
	// and its record: no lookup per call.
	L.Push(L.NewFunction(func(L *lua.LState) int {
		top := L.GetTop()
		var errv lua.LValue
		if msg := c.resumable(L); msg != "" {
			errv = lua.LString(msg)
		} else if c.resume(L, h, 1, top, msgResume) == msgError {
			errv = c.vals[0]
			c.vals[0] = nil
			// The error is the caller's now; close has nothing to report.
			c.errv, c.hasErr = nil, false
		} else {
			L.SetTop(0)
			return c.pushVals(L)
		}
		if s, ok := errv.(lua.LString); ok {
			errv = lua.LString(where(L, 1)) + s
		}
		L.Error(errv, 0)
		return 0
	}))
	return 1
}

// resumable returns why c cannot be resumed from L, or "".
func (c *coro) resumable(L *lua.LState) string {
	switch c.status {
	case coDead:
		return "cannot resume dead coroutine"
	case coActive:
		return "cannot resume non-suspended coroutine"
	}
	return ""
}

func (vm *coVM) luaResume(L *lua.LState) int {
	h := checkCo(L, "coroutine.resume")
	c := vm.handle(h)
	var msg string
	switch {
	case c != nil:
		msg = c.resumable(L)
	case h.Dead:
		msg = "cannot resume dead coroutine"
	default:
		// The main thread or a runtime task's thread: the scheduler
		// owns it, Lua cannot resume it.
		msg = "cannot resume non-suspended coroutine"
	}
	if msg != "" {
		L.Push(lua.LFalse)
		L.Push(lua.LString(msg))
		return 2
	}
	top := L.GetTop()
	if c.resume(L, h, 2, top, msgResume) == msgError {
		L.Push(lua.LFalse)
		L.Push(c.vals[0])
		c.vals[0] = nil
		return 2
	}
	L.Push(lua.LTrue)
	return 1 + c.pushVals(L)
}

// pushVals pushes the values the coroutine handed back and forgets them.
func (c *coro) pushVals(L *lua.LState) int {
	n := len(c.vals)
	for i, v := range c.vals {
		L.Push(v)
		c.vals[i] = nil
	}
	c.vals = c.vals[:0]
	return n
}

// resume runs the suspended coroutine c (handle h) from L, passing the
// values L[from..top], with m either msgResume or msgClose. It returns
// msgYield, msgReturn or msgError; the values handed back are in c.vals.
func (c *coro) resume(L, h *lua.LState, from, top int, m coMsg) coMsg {
	c.vals = c.vals[:0]
	for i := from; i <= top; i++ {
		c.vals = append(c.vals, L.Get(i))
	}
	c.status = coActive
	c.self = h
	c.resumer = L
	g := L.G
	prev := g.CurrentThread
	first := !c.started
	if first {
		c.started = true
		c.takeThread(L)
	} else {
		c.inheritContext(L)
	}
	// Hand over: from here until c.out delivers, the coroutine's goroutine
	// runs and this one touches nothing.
	g.CurrentThread = c.th
	if first {
		go c.run()
	} else {
		c.in <- m
	}
	r := <-c.out
	g.CurrentThread = prev
	c.self = nil
	c.resumer = nil
	switch r {
	case msgYield:
		c.status = coSuspended
	case msgExit:
		// The coroutine's goroutine was ended by runtime.Goexit: the
		// runtime is shutting down or the script called os.exit. The
		// resumer ends the same way.
		c.status = coDead
		h.Dead = true
		runtime.Goexit()
	default:
		c.status = coDead
		h.Dead = true
	}
	return r
}

// inheritContext gives the worker thread the resumer's context, so that
// whatever stops the resumer's thread (the runtime's cancelling watchdog)
// also stops a coroutine running on its behalf.
func (c *coro) inheritContext(L *lua.LState) {
	ctx := L.Context()
	if ctx == c.th.Context() {
		return
	}
	if ctx == nil {
		c.th.RemoveContext()
	} else {
		c.th.SetContext(ctx)
	}
}

// takeThread gives c a worker thread, from the pool or new.
func (c *coro) takeThread(L *lua.LState) {
	vm := c.vm
	vm.mu.Lock()
	var th *lua.LState
	if n := len(vm.pool); n > 0 {
		th = vm.pool[n-1]
		vm.pool[n-1] = nil
		vm.pool = vm.pool[:n-1]
	}
	vm.mu.Unlock()
	if th == nil {
		th = newWorker(L)
	}
	c.th = th
	c.inheritContext(L)
	vm.mu.Lock()
	vm.workers[th] = c
	if vm.closed {
		c.quit()
	}
	vm.mu.Unlock()
}

// Worker threads start with at most workerRegistry registry slots and a
// growing call stack, up to the VM's limits: a VM made with gopher-lua's
// defaults would otherwise give each coroutine 5120 slots (80 KiB).
const (
	workerRegistry     = 256
	workerRegistryGrow = 32
)

// newWorker makes a worker thread. NewThread copies the creating thread's
// options, so L's are swapped for the call (L is the running thread: no one
// else looks at them meanwhile). L's context is taken off for the call too:
// NewThread would derive a cancellable child of it that nothing cancels,
// and inheritContext sets the worker's context at each resume anyway.
func newWorker(L *lua.LState) *lua.LState {
	if ctx := L.RemoveContext(); ctx != nil {
		defer L.SetContext(ctx)
	}
	saved := L.Options
	o := saved
	if o.RegistryMaxSize < o.RegistrySize {
		o.RegistryMaxSize = o.RegistrySize
	}
	if o.RegistrySize > workerRegistry {
		o.RegistrySize = workerRegistry
	}
	if o.RegistryGrowStep <= 0 {
		o.RegistryGrowStep = workerRegistryGrow
	}
	o.MinimizeStackMemory = true
	L.Options = o
	th, _ := L.NewThread()
	L.Options = saved
	return th
}

// run is the coroutine's goroutine. It starts holding control (the first
// resume is under way) and hands it back on every send to c.out.
func (c *coro) run() {
	vm := c.vm
	th := c.th
	finished := false
	defer func() {
		if finished {
			return
		}
		// Goexit: from a binding (os.exit), the scheduler at shutdown,
		// or our own quit. The thread may be mid-call: never reuse it.
		vm.mu.Lock()
		delete(vm.workers, th)
		vm.mu.Unlock()
		select {
		case c.out <- msgExit: // a resumer waiting, or one to come
		default:
		}
	}()
	th.Push(c.fn)
	n := c.pushVals(th)
	c.fn = nil
	r := msgReturn
	if err := lua54.PCallValue(th, n, lua.MultRet); err != nil {
		obj := lua54.ErrorValue(err)
		if !lua54.IsCloseSignal(obj) {
			r = msgError
			c.vals = append(c.vals[:0], obj)
			c.errv, c.hasErr = obj, true
		}
	} else {
		top := th.GetTop()
		for i := 1; i <= top; i++ {
			c.vals = append(c.vals, th.Get(i))
		}
	}
	th.SetTop(0)
	vm.mu.Lock()
	delete(vm.workers, th)
	if r != msgError && len(vm.pool) < maxWorkerPool {
		vm.pool = append(vm.pool, th)
	}
	vm.mu.Unlock()
	finished = true
	c.out <- r
}

// luaYield is coroutine.yield. On a thread that is not a coroutine it
// raises 5.4's error (the runtime wraps it so that a task's own thread can
// park in yield, see runtime.installTaskYield).
func (vm *coVM) luaYield(L *lua.LState) int {
	c := vm.worker(L)
	if c == nil {
		L.Error(lua.LString("attempt to yield from outside a coroutine"), 0)
		return 0
	}
	if c.closing {
		L.Error(vm.sig, 0)
	}
	top := L.GetTop()
	c.vals = c.vals[:0]
	for i := 1; i <= top; i++ {
		c.vals = append(c.vals, L.Get(i))
	}
	c.out <- msgYield
	switch <-c.in {
	case msgClose:
		c.closing = true
		L.Error(vm.sig, 0)
	case msgQuit:
		runtime.Goexit()
	}
	L.SetTop(0)
	return c.pushVals(L)
}

// statusOf is 5.4's auxstatus of thread th seen from the running thread L.
func (vm *coVM) statusOf(L, th *lua.LState) string {
	if c := vm.handle(th); c != nil {
		switch c.status {
		case coDead:
			return "dead"
		case coSuspended:
			return "suspended"
		}
		if c.th == L {
			return "running"
		}
		return "normal"
	}
	// The main thread or a task's thread.
	if th == L {
		return "running"
	}
	for c := vm.worker(L); c != nil; c = vm.worker(c.resumer) {
		if c.resumer == th {
			return "normal"
		}
	}
	if th.Dead {
		return "dead"
	}
	if vm.isMain(th) || th == th.G.MainThread {
		return "normal"
	}
	return "suspended"
}

func (vm *coVM) luaStatus(L *lua.LState) int {
	th := checkCo(L, "coroutine.status")
	L.Push(lua.LString(vm.statusOf(L, th)))
	return 1
}

// luaRunning returns the running coroutine and whether it is the main
// thread. Outside any coroutine that is the thread of the running task; the
// runtime marks its main chunk's thread as the main thread.
func (vm *coVM) luaRunning(L *lua.LState) int {
	if c := vm.worker(L); c != nil {
		L.Push(c.self)
		L.Push(lua.LFalse)
		return 2
	}
	L.Push(L)
	L.Push(lua.LBool(vm.isMain(L)))
	return 2
}

// luaIsYieldable: every thread but the main one can yield — a coroutine to
// its resumer, a runtime task's own thread to the scheduler.
func (vm *coVM) luaIsYieldable(L *lua.LState) int {
	th := L
	if L.GetTop() >= 1 {
		th = checkCo(L, "coroutine.isyieldable")
		if vm.handle(th) != nil {
			L.Push(lua.LTrue)
			return 1
		}
	}
	if vm.worker(th) != nil {
		L.Push(lua.LTrue)
		return 1
	}
	L.Push(lua.LBool(!vm.isMain(th) && th != th.G.MainThread))
	return 1
}

// luaClose is 5.4's coroutine.close: a suspended coroutine is unwound,
// running its pending to-be-closed variables; the result is true, or false
// plus the error that killed the coroutine (or that a __close raised).
func (vm *coVM) luaClose(L *lua.LState) int {
	h := checkCo(L, "coroutine.close")
	c := vm.handle(h)
	if c == nil {
		switch s := vm.statusOf(L, h); s {
		case "dead", "suspended":
			L.Push(lua.LTrue)
			return 1
		default:
			raise(L, "cannot close a %s coroutine", s)
		}
	}
	switch c.status {
	case coActive:
		raise(L, "cannot close a %s coroutine", vm.statusOf(L, h))
	case coSuspended:
		if !c.started {
			c.status = coDead
			c.fn = nil
			h.Dead = true
			break
		}
		if c.resume(L, h, 1, 0, msgClose) == msgYield {
			// Unreachable: a closing coroutine cannot yield.
			L.RaiseError("coroutine yielded while being closed")
		}
		c.vals = c.vals[:0]
	}
	if c.hasErr {
		errv := c.errv
		c.errv, c.hasErr = nil, false
		L.Push(lua.LFalse)
		L.Push(errv)
		return 2
	}
	L.Push(lua.LTrue)
	return 1
}
