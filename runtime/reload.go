package runtime

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/golua-ws/golua-ws/runtime/lua54"
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
// A hook that raises refuses the reload like a compile error does.
//
// The main script is not re-run (it owns the listeners); put the code you want
// to reload in modules it requires.

type moduleFile struct {
	name  string
	path  string
	mtime time.Time
	size  int64

	// The version of the file whose reload was last refused: Watch reports
	// a refusal once per version, not on every poll.
	refusedMtime time.Time
	refusedSize  int64
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
		// Run every new chunk, and every __reload hook, before touching
		// package.loaded, so a chunk or hook that fails leaves all modules
		// as they were.
		loaded, _ := L.GetField(L.Get(lua.RegistryIndex), "_LOADED").(*lua.LTable)
		values := make([]lua.LValue, len(changed))
		for i, m := range changed {
			L.Push(fns[i])
			L.Push(lua.LString(m.name))
			L.Push(lua.LString(m.path))
			if err := lua54.PCall(L, 2, 1, nil); err != nil {
				return fmt.Errorf("reload %s: %s", m.name, errorWithTrace(L, err))
			}
			values[i] = L.Get(-1)
			L.Pop(1)
			if newTbl, ok := values[i].(*lua.LTable); ok {
				if hook, ok := L.GetField(newTbl, "__reload").(*lua.LFunction); ok {
					L.Push(hook)
					L.Push(loaded.RawGetString(m.name))
					if err := lua54.PCall(L, 1, 0, nil); err != nil {
						return fmt.Errorf("reload %s: __reload: %s", m.name, errorWithTrace(L, err))
					}
				}
			}
		}
		for i, m := range changed {
			newv := values[i]
			if newv == lua.LNil {
				newv = lua.LTrue
			}
			oldTbl, oldIsTable := loaded.RawGetString(m.name).(*lua.LTable)
			newTbl, newIsTable := newv.(*lua.LTable)
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
		rt.reloadReport(ctx, true)
	}
}

func (rt *Runtime) reloadAndReport(ctx context.Context) {
	rt.reloadReport(ctx, false)
}

// reloadReport reloads and reports the outcome on Stderr and the logger.
// When quietRepeat is set (Watch), a refusal is reported once per version
// of the files involved rather than on every poll.
func (rt *Runtime) reloadReport(ctx context.Context, quietRepeat bool) {
	if quietRepeat && !rt.anyUnrefusedChange() {
		return
	}
	names, err := rt.Reload(ctx)
	switch {
	case errors.Is(err, ErrNothingToReload):
	case err != nil:
		rt.markRefused()
		rt.Report(nil, slog.LevelError, "golua-ws: reload refused, the old code keeps serving: "+err.Error(),
			"reload refused, the old code keeps serving", ErrorAttrs(err.Error())...)
	default:
		rt.Report(nil, slog.LevelInfo, "golua-ws: reloaded "+strings.Join(names, ", "),
			"reloaded", slog.Any("modules", names))
	}
}

// anyUnrefusedChange reports whether some changed module file is not the
// version whose reload was already refused.
func (rt *Runtime) anyUnrefusedChange() bool {
	for _, m := range rt.changedModules() {
		st, err := os.Stat(m.path)
		if err != nil {
			continue
		}
		rt.reloadMu.Lock()
		refused := st.ModTime().Equal(m.refusedMtime) && st.Size() == m.refusedSize
		rt.reloadMu.Unlock()
		if !refused {
			return true
		}
	}
	return false
}

// markRefused remembers the current version of every changed file as
// refused.
func (rt *Runtime) markRefused() {
	for _, m := range rt.changedModules() {
		st, err := os.Stat(m.path)
		if err != nil {
			continue
		}
		rt.reloadMu.Lock()
		m.refusedMtime, m.refusedSize = st.ModTime(), st.Size()
		rt.reloadMu.Unlock()
	}
}
