package runtime

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/golua-ws/golua-ws/runtime/lua54"
	"github.com/golua-ws/golua-ws/runtime/lua54lib"
	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/parse"
)

// GopherLua51 compiles with gopher-lua's own Lua 5.1 parser (for
// WithCompiler; the default front-end is runtime/lua54).
func GopherLua51(src []byte, chunkName string) (*lua.FunctionProto, error) {
	name := DisplayChunkName(chunkName)
	chunk, err := parse.Parse(bytes.NewReader(src), name)
	if err != nil {
		return nil, err
	}
	return lua.Compile(chunk, name)
}

// DisplayChunkName turns a Lua chunk name into the source name shown in
// error messages and tracebacks: "@file.lua" → "file.lua", "=name" → "name",
// and source text → [string "first line..."], as the reference Lua does.
func DisplayChunkName(chunkName string) string {
	switch {
	case strings.HasPrefix(chunkName, "@"), strings.HasPrefix(chunkName, "="):
		return chunkName[1:]
	}
	line := chunkName
	truncated := false
	if i := strings.IndexAny(line, "\r\n"); i >= 0 {
		line, truncated = line[:i], true
	}
	if len(line) > 45 {
		line, truncated = line[:45], true
	}
	if truncated {
		return `[string "` + line + `..."]`
	}
	return `[string "` + line + `"]`
}

// stripShebang blanks a first line starting with '#' and keeps the newline,
// so line numbers stay right.
func stripShebang(src []byte) []byte {
	if len(src) == 0 || src[0] != '#' {
		return src
	}
	if i := bytes.IndexByte(src, '\n'); i >= 0 {
		return src[i:]
	}
	return nil
}

// Compile compiles Lua source with the runtime's front-end and returns a
// function in the global environment. Token required.
func (rt *Runtime) Compile(src []byte, chunkName string) (*lua.LFunction, error) {
	if len(src) > 0 && src[0] == 0x1b {
		return nil, fmt.Errorf("%s: binary chunks are not supported", DisplayChunkName(chunkName))
	}
	proto, err := rt.compiler(src, chunkName)
	if err != nil {
		return nil, err
	}
	return rt.L.NewFunctionFromProto(proto), nil
}

// LoadFile reads and compiles a Lua file (a first line starting with '#' is
// skipped). Token required.
func (rt *Runtime) LoadFile(path string) (*lua.LFunction, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot open %s", strings.TrimPrefix(err.Error(), "open "))
	}
	return rt.Compile(stripShebang(src), "@"+path)
}

// RunFile starts the main task: it compiles the script at path and runs it
// with args as its varargs and the global arg table set like the standard
// lua interpreter (arg[0] the script, arg[1..n] the arguments). The script's
// directory is put first on package.path. A compile error is printed to
// Stderr and ends the runtime with exit code 1; so does an uncaught error in
// the main chunk. Use Wait for the outcome.
func (rt *Runtime) RunFile(path string, args ...string) *Task {
	rt.args = args
	return rt.Start("main", Queued, func(t *Task) error {
		L := t.L
		rt.mainThread = L
		rt.prependPackagePath(filepath.Dir(path))
		argt := L.CreateTable(len(args), 2)
		argt.RawSetInt(-1, lua.LString("golua-ws"))
		argt.RawSetInt(0, lua.LString(path))
		for i, a := range args {
			argt.RawSetInt(i+1, lua.LString(a))
		}
		L.SetGlobal("arg", argt)
		fn, err := rt.LoadFile(path)
		if err != nil {
			rt.Report(t, slog.LevelError, err.Error(), "cannot load the main script", ErrorAttrs(err.Error())...)
			rt.Exit(1)
			return nil
		}
		L.Push(fn)
		for _, a := range args {
			L.Push(lua.LString(a))
		}
		return lua54.PCall(L, len(args), 0, nil)
	})
}

// RunString starts the main task running code (golua-ws -e). chunkName is
// used in messages, as in load.
func (rt *Runtime) RunString(code, chunkName string, args ...string) *Task {
	rt.args = args
	return rt.Start("main", Queued, func(t *Task) error {
		L := t.L
		rt.mainThread = L
		fn, err := rt.Compile([]byte(code), chunkName)
		if err != nil {
			rt.Report(t, slog.LevelError, err.Error(), "cannot load the main script", ErrorAttrs(err.Error())...)
			rt.Exit(1)
			return nil
		}
		L.Push(fn)
		for _, a := range args {
			L.Push(lua.LString(a))
		}
		return lua54.PCall(L, len(args), 0, nil)
	})
}

func (rt *Runtime) prependPackagePath(entries ...string) {
	L := rt.L
	pkg, ok := L.GetGlobal("package").(*lua.LTable)
	if !ok {
		return
	}
	var parts []string
	for _, e := range entries {
		if strings.Contains(e, "?") {
			parts = append(parts, e)
		} else {
			parts = append(parts, filepath.Join(e, "?.lua"), filepath.Join(e, "?", "init.lua"))
		}
	}
	cur := lua.LVAsString(L.GetField(pkg, "path"))
	if cur != "" {
		parts = append(parts, cur)
	}
	L.SetField(pkg, "path", lua.LString(strings.Join(parts, ";")))
}

// installBase replaces the parts of gopher-lua's base library that must go
// through the runtime: every loader (so one front-end compiles all code),
// print (so embedders can redirect it), os.exit (so exiting ends the
// runtime cleanly instead of killing a host process) and os.execute (5.4's
// results, without holding the VM token while the command runs).
func (rt *Runtime) installBase() {
	L := rt.L
	L.SetGlobal("print", L.NewFunction(rt.luaPrint))
	L.SetGlobal("load", L.NewFunction(rt.luaLoad))
	L.SetGlobal("loadstring", L.NewFunction(rt.luaLoadString))
	L.SetGlobal("loadfile", L.NewFunction(rt.luaLoadFile))
	L.SetGlobal("dofile", L.NewFunction(rt.luaDoFile))
	if osmod, ok := L.GetGlobal("os").(*lua.LTable); ok {
		L.SetField(osmod, "exit", L.NewFunction(rt.luaExit))
		L.SetField(osmod, "execute", L.NewFunction(rt.luaExecute))
	}
	if pkg, ok := L.GetGlobal("package").(*lua.LTable); ok {
		if loaders, ok := L.GetField(pkg, "loaders").(*lua.LTable); ok {
			loaders.RawSetInt(2, L.NewFunction(lua54lib.LuaSearcher(func(src []byte, chunkName string) (*lua.LFunction, error) {
				return rt.Compile(stripShebang(src), chunkName)
			}, rt.trackModule)))
			L.SetField(pkg, "searchers", loaders)
		}
	}
	if len(rt.opts.packagePath) > 0 {
		rt.prependPackagePath(rt.opts.packagePath...)
	}
	rt.installTaskYield()
}

// installTaskYield lets coroutine.yield be called on a task's own thread,
// which is not a coroutine: the task parks until another task calls
// ResumeYielded (lua-eco's eco._resume: every eco.run body is a coroutine
// there). In a coroutine, and on the main chunk's thread (where 5.4 raises
// "attempt to yield from outside a coroutine"), yield is lua54lib's.
func (rt *Runtime) installTaskYield() {
	L := rt.L
	co, ok := L.GetGlobal("coroutine").(*lua.LTable)
	if !ok {
		return
	}
	orig, ok := L.GetField(co, "yield").(*lua.LFunction)
	if !ok || !orig.IsG {
		return
	}
	L.SetField(co, "yield", L.NewFunction(func(L *lua.LState) int {
		t := rt.tasks[L]
		if t == nil || L == rt.mainThread {
			return orig.GFunction(L)
		}
		t.rawYield = true
		v, _ := t.Suspend(0)
		t.rawYield = false
		vals, _ := v.([]lua.LValue)
		for _, x := range vals {
			L.Push(x)
		}
		return len(vals)
	}))
}

func (rt *Runtime) luaPrint(L *lua.LState) int {
	var b strings.Builder
	top := L.GetTop()
	for i := 1; i <= top; i++ {
		if i > 1 {
			b.WriteByte('\t')
		}
		b.WriteString(lua54lib.ToString(L, L.Get(i)))
	}
	b.WriteByte('\n')
	_, _ = rt.opts.stdout.Write([]byte(b.String()))
	return 0
}

func (rt *Runtime) luaExit(L *lua.LState) int {
	code := 0
	switch v := L.Get(1).(type) {
	case lua.LBool:
		if !bool(v) {
			code = 1
		}
	case lua.LNumber:
		code = int(v)
	}
	rt.Exit(code)
	if rt.cur != nil {
		rt.ExitTask()
	}
	return 0
}

// loadChunk implements the shared part of load, loadstring and loadfile:
// mode checks, compiling, and the optional environment.
func (rt *Runtime) loadChunk(L *lua.LState, src []byte, chunkName, mode string, env lua.LValue, hasEnv bool) int {
	binary := len(src) > 0 && src[0] == 0x1b
	if binary && !strings.Contains(mode, "b") {
		L.Push(lua.LNil)
		L.Push(lua.LString(fmt.Sprintf("attempt to load a binary chunk (mode is '%s')", mode)))
		return 2
	}
	if !binary && !strings.Contains(mode, "t") {
		L.Push(lua.LNil)
		L.Push(lua.LString(fmt.Sprintf("attempt to load a text chunk (mode is '%s')", mode)))
		return 2
	}
	fn, err := rt.Compile(src, chunkName)
	if err != nil {
		L.Push(lua.LNil)
		L.Push(lua.LString(err.Error()))
		return 2
	}
	if hasEnv {
		if tb, ok := env.(*lua.LTable); ok {
			fn.Env = tb
		} else {
			// gopher-lua needs a table for globals: an empty one gives
			// the closest behaviour to a nil or non-table _ENV.
			fn.Env = L.NewTable()
		}
	}
	L.Push(fn)
	return 1
}

func (rt *Runtime) luaLoad(L *lua.LState) int {
	var src []byte
	var defName string
	switch c := L.Get(1).(type) {
	case lua.LString:
		src = []byte(c)
		defName = string(c)
	case lua.LNumber: // a number is a string to lua_tolstring
		src = []byte(lua54.NumberToString(c))
		defName = string(src)
	case *lua.LFunction:
		defName = "=(load)"
		var buf bytes.Buffer
		for {
			L.Push(c)
			L.Call(0, 1)
			piece := L.Get(-1)
			L.Pop(1)
			if piece == lua.LNil {
				break
			}
			s, ok := piece.(lua.LString)
			if !ok {
				if n, isNum := piece.(lua.LNumber); isNum {
					s = lua.LString(lua54.NumberToString(n))
				} else {
					L.Push(lua.LNil)
					L.Push(lua.LString("reader function must return a string"))
					return 2
				}
			}
			if len(s) == 0 {
				break
			}
			buf.WriteString(string(s))
		}
		src = buf.Bytes()
	default:
		got := c.Type().String()
		if L.GetTop() == 0 {
			got = "no value"
		}
		L.RaiseError("bad argument #1 to 'load' (function expected, got %s)", got)
	}
	name := L.OptString(2, defName)
	mode := L.OptString(3, "bt")
	return rt.loadChunk(L, src, name, mode, L.Get(4), L.GetTop() >= 4)
}

func (rt *Runtime) luaLoadString(L *lua.LState) int {
	s := L.CheckString(1)
	return rt.loadChunk(L, []byte(s), L.OptString(2, s), "bt", lua.LNil, false)
}

func (rt *Runtime) readChunkFile(L *lua.LState, path string) ([]byte, string, bool) {
	src, err := os.ReadFile(path)
	if err != nil {
		L.Push(lua.LNil)
		L.Push(lua.LString("cannot open " + path))
		return nil, "", false
	}
	return stripShebang(src), "@" + path, true
}

func (rt *Runtime) luaLoadFile(L *lua.LState) int {
	path := L.OptString(1, "")
	if path == "" {
		L.Push(lua.LNil)
		L.Push(lua.LString("loadfile from stdin is not supported"))
		return 2
	}
	src, name, ok := rt.readChunkFile(L, path)
	if !ok {
		return 2
	}
	return rt.loadChunk(L, src, name, L.OptString(2, "bt"), L.Get(3), L.GetTop() >= 3)
}

func (rt *Runtime) luaDoFile(L *lua.LState) int {
	path := L.CheckString(1)
	src, err := os.ReadFile(path)
	if err != nil {
		L.RaiseError("cannot open %s", path)
	}
	fn, err := rt.Compile(stripShebang(src), "@"+path)
	if err != nil {
		L.RaiseError("%s", err.Error())
	}
	top := L.GetTop()
	L.Push(fn)
	L.Call(0, lua.MultRet)
	return L.GetTop() - top
}

// RegisterModule makes require(name) call loader, a standard gopher-lua
// module loader (it pushes the module value and returns 1). Call it before
// any script runs, or while holding the token.
func (rt *Runtime) RegisterModule(name string, loader lua.LGFunction) {
	rt.L.PreloadModule(name, loader)
}

// RegisterModules registers every loader in mods.
func (rt *Runtime) RegisterModules(mods map[string]lua.LGFunction) {
	for name, loader := range mods {
		rt.RegisterModule(name, loader)
	}
}
