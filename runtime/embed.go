package runtime

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/golua-ws/golua-ws/runtime/lua54"
	lua "github.com/yuin/gopher-lua"
	luar "layeh.com/gopher-luar"
)

// This file is the embedding API: what a Go host program calls from its own
// goroutines. Every method here is safe from any goroutine; each one waits for
// the VM token (through a task of its own, so the Lua it runs may block) and
// honours ctx while waiting.

// ErrClosed is returned by the embedding calls after Exit or Close.
var ErrClosed = errors.New("runtime: closed")

// ErrTooManyTasks is returned when WithMaxTasks's limit keeps a task from
// starting; Lua bindings raise "too many tasks".
var ErrTooManyTasks = errors.New("too many tasks")

// startErr tells why Start returned nil.
func (rt *Runtime) startErr() error {
	if rt.ctx.Err() != nil {
		return ErrClosed
	}
	return ErrTooManyTasks
}

// RaiseStartError raises the Lua error for a Start that returned nil:
// "too many tasks" under WithMaxTasks, or that the runtime is closing.
func (rt *Runtime) RaiseStartError(L *lua.LState) {
	L.RaiseError("%s", rt.startErr().Error())
}

// Do runs fn holding the VM token, on a task of its own, and waits for it.
// fn may call Lua functions that block (they release the token as usual).
// If ctx is done before fn starts, fn never runs and Do returns ctx.Err().
// If ctx is done while fn runs, Do returns ctx.Err() at once and fn finishes
// in the background: Lua code cannot be interrupted half-way, except by the
// CPU watchdog (WithWatchdog).
func (rt *Runtime) Do(ctx context.Context, fn func(t *Task) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var abandoned atomic.Bool
	result := make(chan error, 1)
	t := rt.Start("go call", Queued, func(t *Task) error {
		// The task may start before the select below sees ctx done: it
		// checks ctx itself, so that "done before fn starts" means fn
		// never runs.
		if abandoned.Load() || ctx.Err() != nil {
			result <- ctx.Err()
			return nil
		}
		err := fn(t)
		result <- err
		return nil
	})
	if t == nil {
		return rt.startErr()
	}
	select {
	case err := <-result:
		return err
	case <-ctx.Done():
		abandoned.Store(true)
		return ctx.Err()
	case <-rt.exited:
		return ErrClosed
	}
}

// Call calls the Lua value fn — a *lua.LFunction, or a string naming a
// global function ("handler" or a dotted path such as "chat.broadcast") —
// with args converted by gopher-luar (see ToLua), and returns its results
// converted to Go values (see ToGo). Safe from any goroutine; see Do for how
// ctx is honoured. A Lua error comes back as an error carrying the message
// and traceback.
func (rt *Runtime) Call(ctx context.Context, fn any, args ...any) ([]any, error) {
	var out []any
	err := rt.Do(ctx, func(t *Task) error {
		L := t.L
		var f lua.LValue
		switch v := fn.(type) {
		case *lua.LFunction:
			f = v
		case string:
			f = rt.lookupPath(v)
		default:
			return fmt.Errorf("runtime: Call: fn must be a *lua.LFunction or a global name, not %T", fn)
		}
		if f.Type() != lua.LTFunction && !lua.LVAsBool(L.GetMetaField(f, "__call")) {
			return fmt.Errorf("runtime: Call: %v is not a function", fn)
		}
		base := L.GetTop()
		L.Push(f)
		for _, a := range args {
			L.Push(ToLua(L, a))
		}
		if err := lua54.PCall(L, len(args), lua.MultRet, nil); err != nil {
			return fmt.Errorf("runtime: Call %v: %s", fn, errorWithTrace(L, err))
		}
		n := L.GetTop() - base
		out = make([]any, n)
		for i := 0; i < n; i++ {
			out[i] = ToGo(L.Get(base + 1 + i))
		}
		L.SetTop(base)
		return nil
	})
	if err != nil {
		// out is not read: after a cancellation fn may still be writing it.
		return nil, err
	}
	return out, nil
}

// DoString compiles code and runs it on a task of its own, waiting as Do
// does, and returns the chunk's results converted by ToGo. chunkName is as
// in load ("=name", "@file", or empty for the code itself).
func (rt *Runtime) DoString(ctx context.Context, code, chunkName string) ([]any, error) {
	if chunkName == "" {
		chunkName = code
	}
	return rt.doChunk(ctx, func() (*lua.LFunction, error) { return rt.Compile([]byte(code), chunkName) })
}

// DoFile is DoString for a file (a first line starting with '#' is skipped).
func (rt *Runtime) DoFile(ctx context.Context, path string) ([]any, error) {
	return rt.doChunk(ctx, func() (*lua.LFunction, error) { return rt.LoadFile(path) })
}

func (rt *Runtime) doChunk(ctx context.Context, load func() (*lua.LFunction, error)) ([]any, error) {
	var out []any
	err := rt.Do(ctx, func(t *Task) error {
		fn, err := load()
		if err != nil {
			return err
		}
		L := t.L
		base := L.GetTop()
		L.Push(fn)
		if err := lua54.PCall(L, 0, lua.MultRet, nil); err != nil {
			return fmt.Errorf("runtime: %s", errorWithTrace(L, err))
		}
		for i := base + 1; i <= L.GetTop(); i++ {
			out = append(out, ToGo(L.Get(i)))
		}
		L.SetTop(base)
		return nil
	})
	if err != nil {
		// out is not read: after a cancellation fn may still be writing it.
		return nil, err
	}
	return out, nil
}

// Global returns the value of a global (or a dotted path such as
// "chat.clients", whose first name may also be a module in package.loaded),
// converted by ToGo.
func (rt *Runtime) Global(ctx context.Context, name string) (any, error) {
	var v any
	err := rt.Do(ctx, func(*Task) error {
		v = ToGo(rt.lookupPath(name))
		return nil
	})
	return v, err
}

// lookupPath resolves "a.b.c" from the globals; when the first name is not
// a global it is looked up in package.loaded, so "mod.fn" reaches a
// required module's function.
func (rt *Runtime) lookupPath(path string) lua.LValue {
	L := rt.L
	var cur lua.LValue = L.Get(lua.GlobalsIndex)
	first := path
	if i := strings.IndexByte(path, '.'); i >= 0 {
		first = path[:i]
	}
	if L.GetField(cur, first) == lua.LNil {
		if loaded, ok := L.GetField(L.Get(lua.RegistryIndex), "_LOADED").(*lua.LTable); ok && loaded.RawGetString(first) != lua.LNil {
			tmp := L.NewTable()
			tmp.RawSetString(first, loaded.RawGetString(first))
			cur = tmp
		}
	}
	start := 0
	for i := 0; i <= len(path); i++ {
		if i == len(path) || path[i] == '.' {
			cur = L.GetField(cur, path[start:i])
			if cur == lua.LNil {
				return lua.LNil
			}
			start = i + 1
		}
	}
	return cur
}

// SetGlobal sets the Lua global name to v, converted by gopher-luar (see
// ToLua). Safe from any goroutine.
func (rt *Runtime) SetGlobal(ctx context.Context, name string, v any) error {
	return rt.Do(ctx, func(t *Task) error {
		t.L.SetGlobal(name, ToLua(t.L, v))
		return nil
	})
}

// RegisterGoModule makes require(name) return v converted by gopher-luar:
// a struct pointer exposes its exported fields and methods, a map its
// entries, a function becomes callable from Lua. Call it before scripts run
// (like RegisterModule).
func (rt *Runtime) RegisterGoModule(name string, v any) {
	rt.RegisterModule(name, func(L *lua.LState) int {
		L.Push(ToLua(L, v))
		return 1
	})
}

// ToLua converts a Go value for Lua. Strings, []byte, numbers and bools
// become Lua strings, numbers and booleans directly (a []byte is copied once
// into a Lua string: payloads take no reflection); lua.LValue passes through;
// anything else goes through gopher-luar (structs, pointers, maps, slices,
// functions and channels as userdata with metatables). Token required.
//
// A Go channel reached through gopher-luar blocks the whole VM while it
// waits (gopher-luar knows nothing of the token); hand channels to scripts
// through a module that uses Task.Block instead.
func ToLua(L *lua.LState, v any) lua.LValue {
	switch x := v.(type) {
	case nil:
		return lua.LNil
	case lua.LValue:
		return x
	case string:
		return lua.LString(x)
	case []byte:
		return lua.LString(x)
	case bool:
		return lua.LBool(x)
	case int:
		return lua.LNumber(x)
	case int64:
		return lua.LNumber(x)
	case int32:
		return lua.LNumber(x)
	case uint32:
		return lua.LNumber(x)
	case uint64:
		return lua.LNumber(x)
	case float64:
		return lua.LNumber(x)
	case float32:
		return lua.LNumber(x)
	}
	return luar.New(L, v)
}

// ToGo converts a Lua value to Go: nil, bool, float64, string; a table
// becomes []any when it is a sequence and map[string]any otherwise (keys
// formatted with tostring); userdata made by gopher-luar gives back the Go
// value; functions and threads come back as the lua.LValue itself (usable
// only while holding the token). Token required.
func ToGo(v lua.LValue) any {
	return toGo(v, 0)
}

func toGo(v lua.LValue, depth int) any {
	switch x := v.(type) {
	case *lua.LNilType:
		return nil
	case lua.LBool:
		return bool(x)
	case lua.LNumber:
		return float64(x)
	case lua.LString:
		return string(x)
	case *lua.LUserData:
		return x.Value
	case *lua.LTable:
		if depth > 32 {
			return nil
		}
		if n := x.Len(); n > 0 {
			arr := make([]any, 0, n)
			seq := true
			x.ForEach(func(k, _ lua.LValue) {
				if kn, ok := k.(lua.LNumber); !ok || float64(kn) < 1 || float64(kn) > float64(n) || float64(kn) != float64(int(kn)) {
					seq = false
				}
			})
			if seq {
				for i := 1; i <= n; i++ {
					arr = append(arr, toGo(x.RawGetInt(i), depth+1))
				}
				return arr
			}
		}
		m := make(map[string]any)
		x.ForEach(func(k, val lua.LValue) {
			m[k.String()] = toGo(val, depth+1)
		})
		return m
	}
	return v
}
