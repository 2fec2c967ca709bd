package hive

import (
	"context"
	"errors"
	"fmt"
	goruntime "runtime"
	"strings"
	"sync"
	"time"

	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	"github.com/golua-ws/golua-ws/runtime"
	"github.com/golua-ws/golua-ws/runtime/lua54"
	lua "github.com/yuin/gopher-lua"
)

// beeTypeName names the bee metatable in the VM's registry; silly calls a
// bee "silly.hive.worker".
const beeTypeName = "silly.hive.worker"

// pruneInterval is how often idle pool threads are looked at, as silly's
// hive.lua does with a one-second timer.
const pruneInterval = time.Second

// beeCloseTimeout bounds how long the runtime's exit waits for bees.
const beeCloseTimeout = 2 * time.Second

// hive is the per-runtime state: the pool and every bee spawned (gopher-lua
// has no __gc, so a bee lives until the runtime ends).
type hive struct {
	rt         *runtime.Runtime
	pool       *pool
	beeModules func() []map[string]lua.LGFunction

	mu   sync.Mutex
	bees []*bee
	stop func() // ends the prune ticker; nil until the first spawn
}

// bee is one worker VM and the function its code returned. Only one
// invoke runs in it at a time: sem holds that turn.
type bee struct {
	vm  *runtime.Runtime
	fn  *lua.LFunction // belongs to vm
	sem chan struct{}
}

// result is what a call into a bee hands back.
type result struct {
	ok     bool
	values []copied // the results, or the error value alone
}

// Register makes silly.hive and silly.hive.c available to require in rt.
// beeModules, if not nil, lists the modules every bee may require besides
// the Lua files on package.path: modules that keep no state in a runtime
// (silly's bee loads C modules such as silly.encoding.json the same way).
// Call it before any script runs.
func Register(rt *runtime.Runtime, beeModules func() []map[string]lua.LGFunction) {
	h := &hive{rt: rt, pool: newPool(goruntime.NumCPU()), beeModules: beeModules}
	rt.OnClose(h.close)
	open := func(L *lua.LState) int {
		mod := L.NewTable()
		L.SetFuncs(mod, map[string]lua.LGFunction{
			"limit":   h.limit,
			"prune":   h.prune,
			"spawn":   h.spawn,
			"threads": h.threads,
			"invoke":  h.invoke,
		})
		L.Push(mod)
		return 1
	}
	rt.RegisterModules(map[string]lua.LGFunction{
		"silly.hive":   open,
		"silly.hive.c": open,
	})
}

func (h *hive) limit(L *lua.LState) int {
	min := luaarg.CheckInteger(L, 1, "limit")
	max := luaarg.CheckInteger(L, 2, "limit")
	if min > max {
		luaarg.Error(L, 2, "limit", "max must be greater than or equal to min")
	}
	if max <= 0 {
		luaarg.Error(L, 2, "limit", "max must be positive")
	}
	h.pool.setLimit(int(min), int(max))
	return 0
}

func (h *hive) prune(L *lua.LState) int {
	h.pool.prune(time.Now())
	return 0
}

func (h *hive) threads(L *lua.LState) int {
	L.Push(lua.LNumber(h.pool.live()))
	return 1
}

// spawn is hive.spawn(code, ...): a new VM runs code with the copied
// arguments and must return a function. A compile or run error, or any
// other result, is raised in the caller.
func (h *hive) spawn(L *lua.LState) int {
	code := luaarg.CheckString(L, 1, "spawn")
	args := copyStack(L, 2)
	path, cpath := packagePaths(L)
	t := h.rt.MustTask(L)
	var b *bee
	var res result
	err := t.Block(func(ctx context.Context) error {
		var err error
		b, res, err = h.newBee(ctx, code, path, cpath, args)
		return err
	})
	if err != nil {
		L.RaiseError("silly.hive: spawn: %v", err)
	}
	if !res.ok {
		L.Error(copyIn(L, res.values[0]), 0)
	}
	h.mu.Lock()
	h.bees = append(h.bees, b)
	if h.stop == nil {
		h.stop = h.startPruning()
	}
	h.mu.Unlock()
	ud := L.NewUserData()
	ud.Value = b
	L.SetMetatable(ud, L.NewTypeMetatable(beeTypeName))
	L.Push(ud)
	return 1
}

// newBee starts the VM of a bee and runs its code there. A Lua error comes
// back in the result; err is for the VM failing to run at all.
func (h *hive) newBee(ctx context.Context, code, path, cpath string, args []copied) (*bee, result, error) {
	opts := []runtime.Option{runtime.WithStdout(h.rt.Stdout()), runtime.WithStderr(h.rt.Stderr())}
	if l := h.rt.StructuredLog(); l != nil {
		// A bee's reports (warn, a failing task) share the hive's format.
		opts = append(opts, runtime.WithStructuredLog(l.With("bee", true)))
	}
	vm := runtime.New(opts...)
	if h.beeModules != nil {
		for _, mods := range h.beeModules() {
			vm.RegisterModules(mods)
		}
	}
	b := &bee{vm: vm, sem: make(chan struct{}, 1)}
	var res result
	err := vm.Do(ctx, func(t *runtime.Task) error {
		L := t.Thread()
		if pkg, ok := L.GetGlobal("package").(*lua.LTable); ok {
			pkg.RawSetString("path", lua.LString(path))
			pkg.RawSetString("cpath", lua.LString(cpath))
		}
		installSafeRequire(L)
		fn, err := vm.Compile([]byte(code), code)
		if err != nil {
			res = result{values: []copied{err.Error()}}
			return nil
		}
		base := L.GetTop()
		L.Push(fn)
		for _, a := range args {
			L.Push(copyIn(L, a))
		}
		if err := lua54.PCall(L, len(args), 1, nil); err != nil {
			res = result{values: []copied{copyOut(lua54.ErrorValue(err))}}
			L.SetTop(base)
			return nil
		}
		f, ok := L.Get(-1).(*lua.LFunction)
		L.SetTop(base)
		if !ok {
			res = result{values: []copied{"chunk code must return a function"}}
			return nil
		}
		b.fn = f
		res = result{ok: true}
		return nil
	})
	if err != nil || !res.ok {
		closeVM(vm)
		return nil, res, err
	}
	return b, res, nil
}

// packagePaths returns the caller's package.path and package.cpath, which
// a bee inherits.
func packagePaths(L *lua.LState) (path, cpath string) {
	if pkg, ok := L.GetGlobal("package").(*lua.LTable); ok {
		path = lua.LVAsString(pkg.RawGetString("path"))
		cpath = lua.LVAsString(pkg.RawGetString("cpath"))
	}
	return path, cpath
}

// beeModulePrefixes are the silly.* module families a bee may require in
// silly (pure data modules); the rest of silly needs the main VM.
var beeModulePrefixes = []string{"adt", "compress", "crypto", "encoding", "security", "perf"}

// moduleAllowedInBee is silly's rule: anything outside silly, and silly.X
// where X starts with one of beeModulePrefixes.
func moduleAllowedInBee(name string) bool {
	if !strings.HasPrefix(name, "silly") {
		return true
	}
	rest, ok := strings.CutPrefix(name, "silly.")
	if !ok {
		return false
	}
	for _, p := range beeModulePrefixes {
		if strings.HasPrefix(rest, p) {
			return true
		}
	}
	return false
}

// installSafeRequire wraps the bee's require so that silly modules that
// need the main VM are refused with silly's message.
func installSafeRequire(L *lua.LState) {
	orig := L.GetGlobal("require")
	L.SetGlobal("require", L.NewFunction(func(L *lua.LState) int {
		name := lua.LVAsString(L.Get(1))
		if !moduleAllowedInBee(name) {
			L.RaiseError("module '%s' cannot be used in hive worker", name)
		}
		top := L.GetTop()
		L.Push(orig)
		L.Push(L.Get(1))
		L.Call(1, lua.MultRet)
		return L.GetTop() - top
	}))
}

func checkBee(L *lua.LState, n int) *bee {
	if ud, ok := L.Get(n).(*lua.LUserData); ok {
		if b, ok := ud.Value.(*bee); ok {
			return b
		}
	}
	luaarg.TypeError(L, n, "invoke", beeTypeName)
	return nil
}

// invoke is hive.invoke(bee, ...): runs the bee's function with the copied
// arguments on a pool thread, one call per bee at a time, and returns its
// copied results; an error in the bee is raised again here.
func (h *hive) invoke(L *lua.LState) int {
	b := checkBee(L, 1)
	args := copyStack(L, 2)
	t := h.rt.MustTask(L)
	var res result
	err := t.Block(func(ctx context.Context) error {
		select {
		case b.sem <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		defer func() { <-b.sem }()
		done := make(chan result, 1)
		if !h.pool.push(func() { done <- b.call(ctx, args) }) {
			return errors.New("the hive is closed")
		}
		select {
		case res = <-done:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	if err != nil {
		L.RaiseError("silly.hive: invoke: %v", err)
	}
	if !res.ok {
		L.Error(copyIn(L, res.values[0]), 1)
	}
	for _, v := range res.values {
		L.Push(copyIn(L, v))
	}
	return len(res.values)
}

// call runs the bee's function in its VM; it runs on a pool thread.
func (b *bee) call(ctx context.Context, args []copied) result {
	var res result
	err := b.vm.Do(ctx, func(t *runtime.Task) error {
		L := t.Thread()
		base := L.GetTop()
		L.Push(b.fn)
		for _, a := range args {
			L.Push(copyIn(L, a))
		}
		if err := lua54.PCall(L, len(args), lua.MultRet, nil); err != nil {
			res = result{values: []copied{copyOut(lua54.ErrorValue(err))}}
		} else {
			res = result{ok: true, values: copyStack(L, base+1)}
		}
		L.SetTop(base)
		return nil
	})
	if err != nil {
		return result{values: []copied{fmt.Sprintf("silly.hive: bee: %v", err)}}
	}
	return res
}

// startPruning retires idle pool threads every pruneInterval until the
// runtime ends.
func (h *hive) startPruning() func() {
	tick := time.NewTicker(pruneInterval)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case now := <-tick.C:
				h.pool.prune(now)
			case <-done:
				tick.Stop()
				return
			}
		}
	}()
	return func() { close(done) }
}

// close ends the pool, the prune ticker and every bee's VM.
func (h *hive) close() {
	h.pool.close()
	h.mu.Lock()
	bees := h.bees
	h.bees = nil
	if h.stop != nil {
		h.stop()
		h.stop = nil
	}
	h.mu.Unlock()
	var wg sync.WaitGroup
	for _, b := range bees {
		wg.Add(1)
		go func() {
			defer wg.Done()
			closeVM(b.vm)
		}()
	}
	wg.Wait()
}

func closeVM(vm *runtime.Runtime) {
	ctx, cancel := context.WithTimeout(context.Background(), beeCloseTimeout)
	defer cancel()
	_ = vm.Close(ctx)
}
