package runtime

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// Hot reload.
//
// The runtime remembers every Lua module that require loaded from a file.
// Reload recompiles the modules whose files changed; only when all of them
// compile does it run the new code and swap it in. A module that returns a
// table keeps its identity: the old table is emptied and refilled with the new
// table's fields, so every `local m = require 'm'` captured anywhere sees the
// new functions the next time it looks one up. Code that is already running
// — a connection's read loop inside an old function — keeps running the old
// code until it returns, so open connections are never dropped; new
// connections and requests call the new functions.
//
// What carries across a reload: globals, upvalues of old closures, and every
// table other than a reloaded module's own table. A module's local variables
// start afresh with the new chunk. A module takes part by defining
// M.__reload(old): it is called on the new table, before the swap, with the
// old table, so it can carry state over (for example `M.clients = old.clients`).
//
// The main script is not re-run (it owns the listeners); put the code you want
// to reload in modules it requires.

type moduleFile struct {
	name  string
	path  string
	mtime time.Time
	size  int64
}

// ErrNothingToReload is returned by Reload when no module file changed.
var ErrNothingToReload = errors.New("runtime: reload: no module changed")

func (rt *Runtime) trackModule(name, path string) {
	st, err := os.Stat(path)
	if err != nil {
		return
	}
	rt.reloadMu.Lock()
	defer rt.reloadMu.Unlock()
	if rt.modules == nil {
		rt.modules = make(map[string]*moduleFile)
	}
	rt.modules[name] = &moduleFile{name: name, path: path, mtime: st.ModTime(), size: st.Size()}
}

// changedModules lists tracked modules whose file changed since it was
// loaded, in name order.
func (rt *Runtime) changedModules() []*moduleFile {
	rt.reloadMu.Lock()
	defer rt.reloadMu.Unlock()
	var out []*moduleFile
	for _, m := range rt.modules {
		st, err := os.Stat(m.path)
		if err != nil {
			continue
		}
		if !st.ModTime().Equal(m.mtime) || st.Size() != m.size {
			out = append(out, m)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// Reload recompiles and swaps in every module whose file changed (see the
// comment at the top of reload.go for the semantics). If any changed file
// fails to compile or its new chunk raises an error, nothing is swapped and
// the error is returned; the old code keeps serving. Safe from any
// goroutine. It returns the names of the reloaded modules.
func (rt *Runtime) Reload(ctx context.Context) ([]string, error) {
	changed := rt.changedModules()
	if len(changed) == 0 {
		return nil, ErrNothingToReload
	}
	var names []string
	err := rt.Do(ctx, func(t *Task) error {
		L := t.L
		fns := make([]*lua.LFunction, len(changed))
		stats := make([]os.FileInfo, len(changed))
		for i, m := range changed {
			src, err := os.ReadFile(m.path)
			if err != nil {
				return fmt.Errorf("reload %s: %w", m.name, err)
			}
			st, err := os.Stat(m.path)
			if err != nil {
				return fmt.Errorf("reload %s: %w", m.name, err)
			}
			fn, err := rt.Compile(stripShebang(src), "@"+m.path)
			if err != nil {
				return fmt.Errorf("reload %s: %w", m.name, err)
			}
			fns[i], stats[i] = fn, st
		}
		// Run every new chunk before touching package.loaded, so a chunk
		// that fails leaves all modules as they were.
		values := make([]lua.LValue, len(changed))
		for i, m := range changed {
			L.Push(fns[i])
			L.Push(lua.LString(m.name))
			L.Push(lua.LString(m.path))
			if err := L.PCall(2, 1, nil); err != nil {
				return fmt.Errorf("reload %s: %s", m.name, errorWithTrace(err))
			}
			values[i] = L.Get(-1)
			L.Pop(1)
		}
		loaded, _ := L.GetField(L.Get(lua.RegistryIndex), "_LOADED").(*lua.LTable)
		for i, m := range changed {
			newv := values[i]
			if newv == lua.LNil {
				newv = lua.LTrue
			}
			oldTbl, oldIsTable := loaded.RawGetString(m.name).(*lua.LTable)
			newTbl, newIsTable := newv.(*lua.LTable)
			if hook, ok := L.GetField(newv, "__reload").(*lua.LFunction); ok && newIsTable {
				L.Push(hook)
				L.Push(loaded.RawGetString(m.name))
				if err := L.PCall(1, 0, nil); err != nil {
					fmt.Fprintf(rt.opts.stderr, "golua-ws: reload %s: __reload: %s\n", m.name, errorWithTrace(err))
				}
			}
			if oldIsTable && newIsTable && oldTbl != newTbl {
				var keys []lua.LValue
				oldTbl.ForEach(func(k, _ lua.LValue) { keys = append(keys, k) })
				for _, k := range keys {
					oldTbl.RawSet(k, lua.LNil)
				}
				newTbl.ForEach(func(k, v lua.LValue) { oldTbl.RawSet(k, v) })
				if mt := L.GetMetatable(newTbl); mt != lua.LNil {
					L.SetMetatable(oldTbl, mt)
				}
			} else {
				loaded.RawSetString(m.name, newv)
			}
			rt.reloadMu.Lock()
			m.mtime, m.size = stats[i].ModTime(), stats[i].Size()
			rt.reloadMu.Unlock()
			names = append(names, m.name)
		}
		return nil
	})
	return names, err
}

// Watch polls the files of every loaded module every interval and reloads
// the changed ones, reporting each outcome to Stderr, until ctx is done or
// the runtime exits. golua-ws --watch runs it.
func (rt *Runtime) Watch(ctx context.Context, interval time.Duration) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-rt.exited:
			return
		case <-ticker.C:
		}
		rt.reloadAndReport(ctx)
	}
}

func (rt *Runtime) reloadAndReport(ctx context.Context) {
	names, err := rt.Reload(ctx)
	switch {
	case errors.Is(err, ErrNothingToReload):
	case err != nil:
		fmt.Fprintf(rt.opts.stderr, "golua-ws: reload refused, the old code keeps serving: %v\n", err)
	default:
		fmt.Fprintf(rt.opts.stderr, "golua-ws: reloaded %s\n", strings.Join(names, ", "))
	}
}
