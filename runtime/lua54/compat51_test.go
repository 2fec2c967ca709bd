package lua54

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	lua "github.com/yuin/gopher-lua"
	glparse "github.com/yuin/gopher-lua/parse"
)

// gopherLuaDir locates gopher-lua's module source, which ships the Lua 5.1
// test programs.
func gopherLuaDir(t testing.TB) string {
	t.Helper()
	home, err := os.UserHomeDir()
	if err != nil {
		t.Skipf("no home directory: %v", err)
	}
	dir := filepath.Join(home, "go", "pkg", "mod", "github.com", "yuin", "gopher-lua@v1.1.2")
	if gp := os.Getenv("GOMODCACHE"); gp != "" {
		dir = filepath.Join(gp, "github.com", "yuin", "gopher-lua@v1.1.2")
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("gopher-lua v1.1.2 source not in the module cache (%v); run 'go mod download github.com/yuin/gopher-lua'", err)
	}
	return dir
}

// The same lists gopher-lua's script_test.go runs (it skips the others).
var (
	gluaTests = []string{"base.lua", "coroutine.lua", "db.lua", "issues.lua", "os.lua",
		"table.lua", "vm.lua", "math.lua", "strings.lua", "goto.lua"}
	// vararg.lua is left out: it checks Lua 5.1's implicit "arg" table,
	// which Lua 5.4 (and so Compile) no longer has.
	lua51Tests = []string{"attrib.lua", "calls.lua", "closure.lua", "constructs.lua", "events.lua",
		"literals.lua", "locals.lua", "math.lua", "sort.lua", "strings.lua", "pm.lua", "files.lua"}
	// uses51Arg lists the 5.1 test programs that read the implicit "arg"
	// of a vararg function: Compile reads the global "arg" there instead,
	// so their bytecode differs on purpose.
	uses51Arg = map[string]bool{"api.lua": true, "code.lua": true, "vararg.lua": true}
	// assignLowered lists the programs with a multiple assignment that
	// gopher-lua compiles wrongly in general (lowerAssign rewrites it), and
	// where. They are compared with the lowering off, and must differ with
	// it on.
	assignLowered = map[string]string{
		"attrib.lua": "line 316, a, a.x, a.y = a, a[-3]: the table of an indexed target is the target local a",
		"issues.lua": "line 452, a, b, c = tonumber(a), tonumber(b) or a, tonumber(c): a later value reads the target local a",
	}
)

// installLoaders makes every way of loading code in L go through Compile,
// as the runtime does, so that chunks the tests load at run time are
// covered too.
func installLoaders(L *lua.LState) {
	load := func(L *lua.LState, src []byte, name string) int {
		proto, err := Compile(src, name)
		if err != nil {
			L.Push(lua.LNil)
			L.Push(lua.LString(err.Error()))
			return 2
		}
		L.Push(L.NewFunctionFromProto(proto))
		return 1
	}
	L.SetGlobal("loadstring", L.NewFunction(func(L *lua.LState) int {
		src := L.CheckString(1)
		return load(L, []byte(src), chunkNameArg(L, src))
	}))
	L.SetGlobal("load", L.NewFunction(func(L *lua.LState) int {
		if s, ok := L.Get(1).(lua.LString); ok {
			return load(L, []byte(s), chunkNameArg(L, string(s)))
		}
		fn := L.CheckFunction(1)
		var buf bytes.Buffer
		for {
			L.Push(fn)
			L.Call(0, 1)
			piece := L.Get(-1)
			L.Pop(1)
			if piece == lua.LNil {
				break
			}
			s, ok := piece.(lua.LString)
			if !ok {
				L.Push(lua.LNil)
				L.Push(lua.LString("reader function must return a string"))
				return 2
			}
			if s == "" {
				break
			}
			buf.WriteString(string(s))
		}
		return load(L, buf.Bytes(), chunkNameArg(L, "=(load)"))
	}))
	loadFile := func(L *lua.LState, path string) int {
		src, err := os.ReadFile(path)
		if err != nil {
			L.Push(lua.LNil)
			L.Push(lua.LString(fmt.Sprintf("cannot open %s", path)))
			return 2
		}
		return load(L, src, "@"+path)
	}
	L.SetGlobal("loadfile", L.NewFunction(func(L *lua.LState) int {
		return loadFile(L, L.CheckString(1))
	}))
	L.SetGlobal("dofile", L.NewFunction(func(L *lua.LState) int {
		top := L.GetTop()
		if loadFile(L, L.CheckString(1)) != 1 {
			L.RaiseError("%s", L.Get(-1).String())
		}
		L.Call(0, lua.MultRet)
		return L.GetTop() - top
	}))
}

// chunkNameArg is the chunk name for load/loadstring: an explicit name is
// shown as given (gopher-lua's behaviour, which the 5.1 tests check through
// debug.getinfo(f).source).
func chunkNameArg(L *lua.LState, def string) string {
	if L.GetTop() >= 2 {
		if s, ok := L.Get(2).(lua.LString); ok {
			return "=" + string(s)
		}
	}
	return def
}

// lua52Label is the one construct of gopher-lua's goto.lua that Lua 5.4
// rejects: a label with the name of a visible label in an enclosing block
// (5.2 allowed it). The suite runs with the inner label renamed;
// TestGotoLua52LabelRejected checks the original is rejected like 5.4 does.
const lua52Label = "do goto l3; ::l3:: end"

// gopher-lua's vm.lua checks its own message for "{} .. function"; the
// lowered ".." raises Lua 5.4's message instead.
const (
	concat51Error = "cannot perform concat operation between table and function"
	concat54Error = "attempt to concatenate a table value"
)

func runScriptDir(t *testing.T, dir string, scripts []string) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = os.Chdir(wd) }()
	for _, script := range scripts {
		src, err := os.ReadFile(script)
		if err != nil {
			t.Fatal(err)
		}
		if script == "goto.lua" {
			src = bytes.Replace(src, []byte(lua52Label), []byte("do goto l3x; ::l3x:: end"), 1)
		}
		if script == "vm.lua" {
			// gopher-lua's own messages for a non-number start or step;
			// a loop with such operands gets Lua 5.4's.
			src = bytes.Replace(src, []byte("for statement init must be a number"), []byte("bad 'for' initial value"), 1)
			src = bytes.Replace(src, []byte("for statement step must be a number"), []byte("bad 'for' step"), 1)
			src = bytes.Replace(src, []byte(concat51Error), []byte(concat54Error), 1)
		}
		proto, err := Compile(src, "@"+script)
		if err != nil {
			t.Errorf("%s: %v", script, err)
			continue
		}
		L := lua.NewState(lua.Options{RegistrySize: 1024 * 20, CallStackSize: 1024, IncludeGoStackTrace: true})
		L.SetMx(40)
		OpenRuntime(L)
		installLoaders(L)
		L.Push(L.NewFunctionFromProto(proto))
		if err := L.PCall(0, lua.MultRet, nil); err != nil {
			t.Errorf("%s: %v", script, err)
		}
		L.Close()
	}
}

// TestLua51Suite runs gopher-lua's Lua 5.1 test programs through this
// front-end: 5.1 code must behave as before.
func TestLua51Suite(t *testing.T) {
	runScriptDir(t, filepath.Join(gopherLuaDir(t), "_lua5.1-tests"), lua51Tests)
}

// TestGluaSuite runs gopher-lua's own test programs through this front-end.
func TestGluaSuite(t *testing.T) {
	runScriptDir(t, filepath.Join(gopherLuaDir(t), "_glua-tests"), gluaTests)
}

func TestGotoLua52LabelRejected(t *testing.T) {
	_, err := Compile([]byte("::l3:: x = 1\n"+lua52Label+"\n"), "@goto.lua")
	if err == nil || err.Error() != "goto.lua:2: label 'l3' already defined on line 1" {
		t.Fatalf("got %v", err)
	}
}

// TestSameBytecodeAsGopherLua compiles every 5.1 test program with
// gopher-lua's parser and with this front-end and compares the prototypes:
// code, constants, line info, locals and upvalues must be identical (except
// for goto jumps, whose OP_CLOSE this package repairs).
func TestSameBytecodeAsGopherLua(t *testing.T) {
	base := gopherLuaDir(t)
	files, _ := filepath.Glob(filepath.Join(base, "_lua5.1-tests", "*.lua"))
	more, _ := filepath.Glob(filepath.Join(base, "_glua-tests", "*.lua"))
	files = append(files, more...)
	compared := 0
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if uses51Arg[filepath.Base(path)] {
			continue
		}
		chunk, err := glparse.Parse(bytes.NewReader(src), path)
		if err != nil {
			continue // not 5.1 code gopher-lua accepts
		}
		want, err := lua.Compile(chunk, path)
		if err != nil {
			continue
		}
		if filepath.Base(path) == "goto.lua" {
			src = bytes.Replace(src, []byte(lua52Label), []byte("do goto l3x; ::l3x:: end"), 1)
			chunk, _ = glparse.Parse(bytes.NewReader(src), path)
			if want, err = lua.Compile(chunk, path); err != nil {
				t.Fatal(err)
			}
		}
		// Numeric fors are compared unguarded (forprep's wrapping is
		// checked by the spec programs), and ".." and "%" native
		// (lowerConcat, lowerMod); everything else must compile exactly
		// as gopher-lua compiles it.
		mode := parseMode{markGotos: true, plainFor: true, native51Ops: true}
		if why, ok := assignLowered[filepath.Base(path)]; ok {
			lowered, err := compile(src, "="+path, mode)
			if err != nil {
				t.Errorf("%s: %v", path, err)
				continue
			}
			if compareProto(want, lowered, "main") == "" {
				t.Errorf("%s: expected lowerAssign to rewrite %s", filepath.Base(path), why)
			}
			mode.nativeAssign = true
		}
		got, err := compile(src, "="+path, mode)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if diff := compareProto(want, got, "main"); diff != "" {
			t.Errorf("%s: %s", filepath.Base(path), diff)
		}
		compared++
	}
	if compared < 20 {
		t.Fatalf("only %d files compared", compared)
	}
}

func compareProto(a, b *lua.FunctionProto, where string) string {
	where = fmt.Sprintf("%s(line %d)", where, a.LineDefined)
	switch {
	case a.LineDefined != b.LineDefined || a.LastLineDefined != b.LastLineDefined:
		return fmt.Sprintf("%s: lines %d-%d vs %d-%d", where, a.LineDefined, a.LastLineDefined, b.LineDefined, b.LastLineDefined)
	case a.NumUpvalues != b.NumUpvalues || a.NumParameters != b.NumParameters || a.IsVarArg&^lua.VarArgNeedsArg != b.IsVarArg || a.NumUsedRegisters != b.NumUsedRegisters:
		return fmt.Sprintf("%s: header differs", where)
	case len(a.Code) != len(b.Code):
		return fmt.Sprintf("%s: %d vs %d instructions", where, len(a.Code), len(b.Code))
	case !reflect.DeepEqual(a.DbgSourcePositions, b.DbgSourcePositions):
		for i := range a.DbgSourcePositions {
			if a.DbgSourcePositions[i] != b.DbgSourcePositions[i] {
				return fmt.Sprintf("%s: pc %d line %d vs %d", where, i, a.DbgSourcePositions[i], b.DbgSourcePositions[i])
			}
		}
	case !reflect.DeepEqual(a.DbgUpvalues, b.DbgUpvalues):
		return fmt.Sprintf("%s: upvalues differ", where)
	case len(a.Constants) != len(b.Constants):
		return fmt.Sprintf("%s: %d vs %d constants", where, len(a.Constants), len(b.Constants))
	case len(a.FunctionPrototypes) != len(b.FunctionPrototypes):
		return fmt.Sprintf("%s: child count differs", where)
	}
	for i := range a.Code {
		x, y := a.Code[i], b.Code[i]
		if x != y && !(int(x>>26) == lua.OP_CLOSE && x&^maskA == y&^maskA) {
			return fmt.Sprintf("%s: pc %d: %08x vs %08x", where, i, x, y)
		}
	}
	for i := range a.Constants {
		x, y := a.Constants[i], b.Constants[i]
		if xn, ok := x.(lua.LNumber); ok {
			if yn, ok := y.(lua.LNumber); ok && (xn == yn || math.IsNaN(float64(xn)) && math.IsNaN(float64(yn))) {
				continue
			}
		}
		if x != y {
			return fmt.Sprintf("%s: constant %d: %v vs %v", where, i, x, y)
		}
	}
	for i := range a.DbgLocals {
		if *a.DbgLocals[i] != *b.DbgLocals[i] {
			return fmt.Sprintf("%s: local %d: %+v vs %+v", where, i, *a.DbgLocals[i], *b.DbgLocals[i])
		}
	}
	for i := range a.FunctionPrototypes {
		if d := compareProto(a.FunctionPrototypes[i], b.FunctionPrototypes[i], where); d != "" {
			return d
		}
	}
	return ""
}
