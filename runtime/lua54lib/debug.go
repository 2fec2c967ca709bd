package lua54lib

import (
	"fmt"
	"sort"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// The debug library with Lua 5.4's signatures, fields and messages, as far
// as gopher-lua's public debug API (GetStack, GetInfo, GetLocal, SetLocal,
// the Upvalues of an LFunction) lets us see. gopher-lua has no hooks, no
// user values and no transfer information; see doc.go for what differs.

func openDebug(L *lua.LState) {
	t := libTable(L, "debug")
	register(L, t, map[string]lua.LGFunction{
		"getinfo":      debugGetInfo,
		"getlocal":     debugGetLocal,
		"setlocal":     debugSetLocal,
		"getupvalue":   debugGetUpvalue,
		"setupvalue":   debugSetUpvalue,
		"upvalueid":    debugUpvalueID,
		"upvaluejoin":  debugUpvalueJoin,
		"gethook":      debugGetHook,
		"sethook":      debugSetHook,
		"traceback":    debugTraceback,
		"getmetatable": debugGetMetatable,
		"setmetatable": debugSetMetatable,
		"getregistry":  debugGetRegistry,
		"getuservalue": debugGetUserValue,
		"setuservalue": debugSetUserValue,
	})
}

// threadArg is 5.4's getthread: an optional leading thread argument. It
// returns the thread to inspect and the index of the next argument.
func threadArg(L *lua.LState) (*lua.LState, int) {
	if co, ok := L.Get(1).(*lua.LState); ok {
		return inspectedThread(L, co), 2
	}
	return L, 1
}

// frameInfo is what 5.4's lua_getinfo reports about a function or frame.
type frameInfo struct {
	fn       *lua.LFunction
	what     string // "Lua", "C" or "main"
	source   string
	shortSrc string
	line     int // currentline, -1 when unknown
	tail     bool
	name     string
	namewhat string
}

// lastLevel is the deepest level co.GetStack accepts, or -1.
func lastLevel(co *lua.LState) int {
	if _, ok := co.GetStack(0); !ok {
		return -1
	}
	lo, hi := 0, 1
	for {
		if _, ok := co.GetStack(hi); !ok {
			break
		}
		lo, hi = hi, hi*2
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if _, ok := co.GetStack(mid); ok {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

// levelKey identifies what co.GetStack(g) shows: its function and line.
func levelKey(co *lua.LState, g int) (lua.LValue, int) {
	dbg, ok := co.GetStack(g)
	if !ok {
		return lua.LNil, 0
	}
	fn, err := co.GetInfo("lf", dbg, lua.LNil)
	if err != nil {
		return lua.LNil, 0
	}
	return fn, dbg.CurrentLine
}

// tailFrame reports whether the Lua frame dbg, at co.GetStack level g,
// was reached by a tail call. GetInfo's "S" says "tail" for such a frame,
// except for the bottom frame of a stack, where it says "main"; a bottom
// frame has further levels only when they are its tail calls.
func tailFrame(co *lua.LState, dbg *lua.Debug, g int) bool {
	if _, err := co.GetInfo("S", dbg, lua.LNil); err != nil {
		return false
	}
	switch dbg.What {
	case "tail":
		return true
	case "main":
		_, more := co.GetStack(g + 1)
		return more
	}
	return false
}

// realLevels maps 5.4's levels of co to co.GetStack levels. gopher-lua
// counts each tail call folded into a frame as one more level, and
// GetStack answers such a level with the bottom frame of the stack; 5.4
// has no level for them (istailcall and "(...tail calls...)" say they
// happened). The Debug API does not tell how many tail calls a frame has,
// so the levels after a "tail" frame that show the bottom frame are
// skipped, found by a binary search since there may be millions. Only a
// real frame of the bottom function stopped at the same line right after
// a tail-called frame could be mistaken for one of them.
func realLevels(co *lua.LState) []int {
	last := lastLevel(co)
	if last < 0 {
		return nil
	}
	bfn, bline := levelKey(co, last)
	isBottom := func(g int) bool {
		fn, line := levelKey(co, g)
		return fn == bfn && line == bline
	}
	var levels []int
	for g := 0; g <= last; g++ {
		levels = append(levels, g)
		dbg, _ := co.GetStack(g)
		if !tailFrame(co, dbg, g) {
			continue
		}
		if dbg.What == "main" {
			break // the bottom frame: only its tail calls follow
		}
		lo, step := g, 1
		for lo+step <= last && isBottom(lo+step) {
			lo += step
			step *= 2
		}
		hi := min(lo+step, last+1)
		for hi-lo > 1 {
			mid := lo + (hi-lo)/2
			if isBottom(mid) {
				lo = mid
			} else {
				hi = mid
			}
		}
		if lo == last && lo > g && !isBottom(g) {
			lo-- // the run ends with the real bottom frame
		}
		g = lo
	}
	return levels
}

// stackFrame returns the Debug record of 5.4's level on co and its
// co.GetStack level, or false. A suspended coroutine's level 0 is its
// coroutine.yield: coroutines run on goroutines (coroutine.go) and park
// inside the yield call, so its frame is a real one. levels is realLevels(co), or nil to compute it.
func stackFrame(L, co *lua.LState, level int, levels []int) (*lua.Debug, int, bool) {
	if level < 0 {
		return nil, 0, false
	}
	if levels == nil {
		levels = realLevels(co)
	}
	if level >= len(levels) {
		return nil, 0, false
	}
	g := levels[level]
	dbg, ok := co.GetStack(g)
	return dbg, g, ok
}

// levelInfo is describeLevel for 5.4's level on co. levels is realLevels(co), or nil to compute it.
func levelInfo(L, co *lua.LState, level int, levels []int) (frameInfo, bool) {
	var fi frameInfo
	dbg, g, ok := stackFrame(L, co, level, levels)
	if !ok {
		return fi, false
	}
	return describeLevel(co, dbg, g)
}

// describeFunc fills the fields that depend on the function only.
func describeFunc(fi *frameInfo, fn *lua.LFunction) {
	fi.fn = fn
	fi.line = -1
	if fn.IsG {
		fi.what, fi.source, fi.shortSrc = "C", "=[C]", "[C]"
		return
	}
	p := fn.Proto
	fi.what = "Lua"
	if p.LineDefined == 0 {
		fi.what = "main"
	}
	fi.shortSrc = p.SourceName
	// gopher-lua keeps only the display name of a chunk: a file's "@" (or
	// a "=name"'s "=") is gone, so a name that is not a [string "..."] is
	// reported as a file.
	fi.source = p.SourceName
	if !strings.HasPrefix(p.SourceName, "[string ") {
		fi.source = "@" + p.SourceName
	}
}

// describeLevel fills frameInfo for the function running at level of co.
// level is dbg's co.GetStack level.
func describeLevel(co *lua.LState, dbg *lua.Debug, level int) (frameInfo, bool) {
	var fi frameInfo
	fv, err := co.GetInfo("Slnf", dbg, lua.LNil)
	if err != nil {
		return fi, false
	}
	fn, ok := fv.(*lua.LFunction)
	if !ok {
		return fi, false
	}
	describeFunc(&fi, fn)
	if !fn.IsG {
		fi.line = dbg.CurrentLine
		fi.tail = tailFrame(co, dbg, level)
	}
	if !fi.tail {
		fi.name, fi.namewhat = callName(co, level, dbg.Name)
	}
	return fi, true
}

// callName is 5.4's funcnamefromcode: the name a Lua caller used for the
// function at level and how it got it ("global", "local", "method",
// "field", "upvalue"), found from the instruction that loaded the called
// register. A function called from Go, a main chunk or a coroutine body
// has no name.
func callName(co *lua.LState, level int, gname string) (string, string) {
	if gname == "" || gname == "?" || strings.HasPrefix(gname, "<") || strings.HasPrefix(gname, "(") ||
		gname == "main chunk" || gname == "corountine" {
		return "", ""
	}
	caller, ok := co.GetStack(level + 1)
	if !ok {
		return "", ""
	}
	cv, err := co.GetInfo("lf", caller, lua.LNil)
	if err != nil {
		return "", ""
	}
	cfn, ok := cv.(*lua.LFunction)
	if !ok || cfn.IsG {
		return "", ""
	}
	p := cfn.Proto
	for _, call := range p.DbgCalls {
		if call.Name != gname || call.Pc >= len(p.Code) || p.DbgSourcePositions[call.Pc] != caller.CurrentLine {
			continue
		}
		return gname, loadKind(p, call.Pc)
	}
	return gname, "global"
}

// Instruction fields of gopher-lua's bytecode (opcode.go's layout).
func instOp(i uint32) int { return int(i >> 26) }
func instA(i uint32) int  { return int(i>>18) & 0xff }

// loadKind names how the register called at pc was loaded.
func loadKind(p *lua.FunctionProto, pc int) string {
	reg := instA(p.Code[pc])
	for i := pc - 1; i >= 0; i-- {
		in := p.Code[i]
		op := instOp(in)
		if instA(in) != reg {
			continue
		}
		switch op {
		case lua.OP_SELF:
			return "method"
		case lua.OP_GETGLOBAL:
			return "global"
		case lua.OP_GETTABLE, lua.OP_GETTABLEKS:
			return "field"
		case lua.OP_GETUPVAL:
			return "upvalue"
		case lua.OP_MOVE:
			return "local"
		}
		return "global"
	}
	// Nothing loaded it: the register is the local itself.
	return "local"
}

// getinfo's valid options in 5.4.
const infoOptions = "SlnrutfL"

func debugGetInfo(L *lua.LState) int {
	const name = "debug.getinfo"
	co, a := threadArg(L)
	opts := optString(L, a+1, name, "flnSrtu")
	if strings.HasPrefix(opts, ">") {
		argError(L, a+1, name, "invalid option '>'")
	}
	for _, c := range opts {
		if !strings.ContainsRune(infoOptions, c) {
			argError(L, a+1, name, "invalid option")
		}
	}
	var fi frameInfo
	switch v := L.Get(a).(type) {
	case *lua.LFunction:
		describeFunc(&fi, v)
	case lua.LNumber:
		var ok bool
		if fi, ok = levelInfo(L, co, int(checkInteger(L, a, name)), nil); !ok {
			L.Push(lua.LNil)
			return 1
		}
	default:
		typeError(L, a, name, "number")
	}
	t := L.CreateTable(0, 16)
	for _, c := range opts {
		switch c {
		case 'S':
			t.RawSetString("source", lua.LString(fi.source))
			t.RawSetString("short_src", lua.LString(fi.shortSrc))
			t.RawSetString("what", lua.LString(fi.what))
			ld, lld := -1, -1
			if !fi.fn.IsG {
				ld, lld = fi.fn.Proto.LineDefined, fi.fn.Proto.LastLineDefined
			}
			t.RawSetString("linedefined", lua.LNumber(ld))
			t.RawSetString("lastlinedefined", lua.LNumber(lld))
		case 'l':
			t.RawSetString("currentline", lua.LNumber(fi.line))
		case 'u':
			t.RawSetString("nups", lua.LNumber(len(fi.fn.Upvalues)))
			if fi.fn.IsG {
				t.RawSetString("nparams", lua.LNumber(0))
				t.RawSetString("isvararg", lua.LTrue)
			} else {
				t.RawSetString("nparams", lua.LNumber(fi.fn.Proto.NumParameters))
				t.RawSetString("isvararg", lua.LBool(fi.fn.Proto.IsVarArg&lua.VarArgIsVarArg != 0))
			}
		case 'n':
			if fi.name != "" {
				t.RawSetString("name", lua.LString(fi.name))
			}
			t.RawSetString("namewhat", lua.LString(fi.namewhat))
		case 't':
			t.RawSetString("istailcall", lua.LBool(fi.tail))
		case 'r':
			// No call or return hooks, so nothing is ever transferred.
			t.RawSetString("ftransfer", lua.LNumber(0))
			t.RawSetString("ntransfer", lua.LNumber(0))
		case 'f':
			t.RawSetString("func", fi.fn)
		case 'L':
			if !fi.fn.IsG {
				lines := L.NewTable()
				for _, ln := range fi.fn.Proto.DbgSourcePositions {
					if ln > 0 {
						lines.RawSetInt(ln, lua.LTrue)
					}
				}
				t.RawSetString("activelines", lines)
			}
		}
	}
	L.Push(t)
	return 1
}

// localName maps gopher-lua's names of unnamed slots to 5.4's.
func localName(name string, isG bool) string {
	if name == "(*temporary)" {
		if isG {
			return "(C temporary)"
		}
		return "(temporary)"
	}
	return name
}

// varargSlot returns the GetLocal index of vararg n (1-based) of the Lua
// function fn running in dbg's frame, or false when it has fewer. A
// vararg frame keeps, below its locals, the callee (or the object whose
// __call it is), one nil per parameter and then the extra arguments; the
// count of extra arguments is not public, so it is found by walking down
// to the callee. A vararg that is the callee itself, followed by as many
// nils as fn has parameters, is taken for it.
func varargSlot(co *lua.LState, dbg *lua.Debug, fn *lua.LFunction, n int) (slot int, found bool) {
	p := fn.Proto
	if p.IsVarArg&lua.VarArgIsVarArg == 0 || n < 1 {
		return 0, false
	}
	// GetLocal does not bound negative indices: should the walk miss the
	// callee it would run off the start of gopher-lua's registry, which
	// only means "not found" here.
	defer func() {
		if r := recover(); r != nil {
			slot, found = 0, false
		}
	}()
	np := int(p.NumParameters)
	var self lua.LValue = lua.LNil
	if np >= 1 {
		_, self = co.GetLocal(dbg, 1)
	}
	isCallee := func(v lua.LValue) bool {
		return v == fn || (v == self && v != lua.LNil && co.GetMetaField(v, "__call") == fn)
	}
	// Slot k (k <= 0) is register LocalBase+k-1.
	for depth := 1; depth <= 1<<20; depth++ {
		name, v := co.GetLocal(dbg, 1-depth)
		if name == "" {
			return 0, false
		}
		if !isCallee(v) || depth-1 < np {
			continue
		}
		// Candidate callee at depth: np nils must follow it.
		okNils := true
		for j := 1; j <= np; j++ {
			if _, w := co.GetLocal(dbg, 1-depth+j); w != lua.LNil {
				okNils = false
				break
			}
		}
		if !okNils {
			continue
		}
		nvar := depth - 1 - np
		if n > nvar {
			return 0, false
		}
		return n - nvar, true
	}
	return 0, false
}

func debugGetLocal(L *lua.LState) int {
	const name = "debug.getlocal"
	co, a := threadArg(L)
	n := int(checkInteger(L, a+1, name))
	if fn, ok := L.Get(a).(*lua.LFunction); ok {
		// Parameters of a function that is not running.
		if !fn.IsG && n >= 1 && n <= int(fn.Proto.NumParameters) && n <= len(fn.Proto.DbgLocals) {
			L.Push(lua.LString(fn.Proto.DbgLocals[n-1].Name))
			return 1
		}
		L.Push(lua.LNil)
		return 1
	}
	level := int(checkInteger(L, a, name))
	dbg, _, ok := stackFrame(L, co, level, nil)
	if !ok {
		argError(L, a, name, "level out of range")
	}
	slot, lname, ok := localSlot(co, dbg, n)
	if !ok {
		L.Push(lua.LNil)
		return 1
	}
	_, v := co.GetLocal(dbg, slot)
	L.Push(lua.LString(lname))
	L.Push(v)
	return 2
}

// localSlot resolves 5.4's local index n (negative for varargs) of the
// frame dbg into a GetLocal index and the name 5.4 gives it.
func localSlot(co *lua.LState, dbg *lua.Debug, n int) (int, string, bool) {
	fv, err := co.GetInfo("f", dbg, lua.LNil)
	if err != nil {
		return 0, "", false
	}
	fn, ok := fv.(*lua.LFunction)
	if !ok {
		return 0, "", false
	}
	if n < 0 {
		if fn.IsG {
			return 0, "", false
		}
		slot, ok := varargSlot(co, dbg, fn, -n)
		return slot, "(vararg)", ok
	}
	if n == 0 {
		return 0, "", false
	}
	if hiddenArg(fn) && n > int(fn.Proto.NumParameters) {
		n++
	}
	name, _ := co.GetLocal(dbg, n)
	if name == "" {
		return 0, "", false
	}
	return n, localName(name, fn.IsG), true
}

// hiddenArg reports whether fn has gopher-lua's Lua 5.0 style "arg" local
// after its parameters (vararg functions other than main chunks, when
// lua.CompatVarArg is on). 5.4 has no such local, so local indices past the
// parameters skip it.
func hiddenArg(fn *lua.LFunction) bool {
	if fn.IsG {
		return false
	}
	p := fn.Proto
	np := int(p.NumParameters)
	return lua.CompatVarArg && p.IsVarArg&lua.VarArgIsVarArg != 0 && p.LineDefined != 0 &&
		np < len(p.DbgLocals) && p.DbgLocals[np].Name == "arg" && p.DbgLocals[np].StartPc == 0
}

func debugSetLocal(L *lua.LState) int {
	const name = "debug.setlocal"
	co, a := threadArg(L)
	level := int(checkInteger(L, a, name))
	n := int(checkInteger(L, a+1, name))
	v := checkAny(L, a+2, name)
	dbg, _, ok := stackFrame(L, co, level, nil)
	if !ok {
		argError(L, a, name, "level out of range")
	}
	slot, lname, ok := localSlot(co, dbg, n)
	if !ok {
		L.Push(lua.LNil)
		return 1
	}
	co.SetLocal(dbg, slot, v)
	L.Push(lua.LString(lname))
	return 1
}

// upvalue returns upvalue n of function argument a and its 5.4 name ("" for
// a Go function's), or false when there is no such upvalue.
func upvalue(L *lua.LState, a int, qualified string) (*lua.LFunction, int, string, bool) {
	fn, ok := L.Get(a).(*lua.LFunction)
	if !ok {
		typeError(L, a, qualified, "function")
	}
	n := int(checkInteger(L, a+1, qualified))
	if n < 1 || n > len(fn.Upvalues) {
		return fn, 0, "", false
	}
	name := ""
	if !fn.IsG {
		name = "?"
		if n <= len(fn.Proto.DbgUpvalues) {
			name = fn.Proto.DbgUpvalues[n-1]
		}
	}
	return fn, n - 1, name, true
}

func debugGetUpvalue(L *lua.LState) int {
	fn, i, name, ok := upvalue(L, 1, "debug.getupvalue")
	if !ok {
		return 0
	}
	L.Push(lua.LString(name))
	L.Push(fn.Upvalues[i].Value())
	return 2
}

func debugSetUpvalue(L *lua.LState) int {
	const qname = "debug.setupvalue"
	checkAny(L, 3, qname)
	fn, i, name, ok := upvalue(L, 1, qname)
	if !ok {
		return 0
	}
	fn.Upvalues[i].SetValue(L.Get(3))
	L.Push(lua.LString(name))
	return 1
}

// upvalueIDKey is the registry field holding the metatable of the values
// debug.upvalueid returns.
const upvalueIDKey = "golua-ws.upvalueid"

// debugUpvalueID returns a userdata standing for the upvalue cell: two ids
// are == when they are the same *lua.Upvalue (their shared metatable's
// __eq compares the cells). A fresh userdata per call keeps no table of
// cells, so ids never keep a closure's upvalues alive after the ids are
// gone; the cost is that ids are not usable as table keys.
func debugUpvalueID(L *lua.LState) int {
	fn, i, _, ok := upvalue(L, 1, "debug.upvalueid")
	if !ok {
		L.Push(lua.LNil)
		return 1
	}
	ud := L.NewUserData()
	ud.Value = fn.Upvalues[i]
	ud.Metatable = upvalueIDMeta(L)
	L.Push(ud)
	return 1
}

// upvalueIDMeta returns this VM's metatable for upvalue ids, creating it
// on first use.
func upvalueIDMeta(L *lua.LState) *lua.LTable {
	reg := L.G.Registry
	if mt, ok := reg.RawGetString(upvalueIDKey).(*lua.LTable); ok {
		return mt
	}
	mt := L.NewTable()
	mt.RawSetString("__eq", L.NewFunction(func(L *lua.LState) int {
		a, _ := L.Get(1).(*lua.LUserData)
		b, _ := L.Get(2).(*lua.LUserData)
		L.Push(lua.LBool(a != nil && b != nil && a.Value == b.Value))
		return 1
	}))
	mt.RawSetString("__name", lua.LString("upvalueid"))
	reg.RawSetString(upvalueIDKey, mt)
	return mt
}

func debugUpvalueJoin(L *lua.LState) int {
	const name = "debug.upvaluejoin"
	f1, i1, _, ok := upvalue(L, 1, name)
	if !ok {
		argError(L, 2, name, "invalid upvalue index")
	}
	f2, i2, _, ok := upvalue(L, 3, name)
	if !ok {
		argError(L, 4, name, "invalid upvalue index")
	}
	if f1.IsG {
		argError(L, 1, name, "Lua function expected")
	}
	if f2.IsG {
		argError(L, 3, name, "Lua function expected")
	}
	f1.Upvalues[i1] = f2.Upvalues[i2]
	return 0
}

// debugGetHook returns fail (nil): no hook can be set (see debugSetHook).
func debugGetHook(L *lua.LState) int {
	L.Push(lua.LNil)
	return 1
}

// debugSetHook clears hooks (there are none) when called without a hook
// function, and raises otherwise: gopher-lua's VM has no hook points, and
// silently ignoring a hook would break a script relying on it.
func debugSetHook(L *lua.LState) int {
	_, a := threadArg(L)
	if L.Get(a) == lua.LNil {
		return 0
	}
	raise(L, "debug.sethook: hooks are not supported (gopher-lua has no debug hooks)")
	return 0
}

func debugGetMetatable(L *lua.LState) int {
	checkAny(L, 1, "debug.getmetatable")
	L.Push(L.GetMetatable(L.Get(1)))
	return 1
}

func debugSetMetatable(L *lua.LState) int {
	switch L.Get(2).Type() {
	case lua.LTNil, lua.LTTable:
	default:
		typeError(L, 2, "debug.setmetatable", "nil or table")
	}
	L.SetMetatable(L.Get(1), L.Get(2))
	L.SetTop(1)
	return 1
}

func debugGetRegistry(L *lua.LState) int {
	L.Push(L.G.Registry)
	return 1
}

// debugGetUserValue: gopher-lua userdata carry no user values, so every n
// is out of range (5.4 returns nil, no second result).
func debugGetUserValue(L *lua.LState) int {
	if L.Get(1).Type() == lua.LTUserData {
		optInteger(L, 2, "debug.getuservalue", 1)
	}
	L.Push(lua.LNil)
	return 1
}

// debugSetUserValue fails (nil) as 5.4 does for a user value index the
// userdata does not have.
func debugSetUserValue(L *lua.LState) int {
	const name = "debug.setuservalue"
	if L.Get(1).Type() != lua.LTUserData {
		typeError(L, 1, name, "userdata")
	}
	checkAny(L, 2, name)
	optInteger(L, 3, name, 1)
	L.Push(lua.LNil)
	return 1
}

// Traceback limits of luaL_traceback: the first levels and the last
// levels shown when the stack is deeper than both.
const (
	traceFirst = 10
	traceLast  = 11
)

func debugTraceback(L *lua.LState) int {
	co, a := threadArg(L)
	msg := L.Get(a)
	if msg != lua.LNil {
		if _, ok := msg.(lua.LString); !ok {
			if _, ok := msg.(lua.LNumber); !ok {
				L.Push(msg) // not a message: returned untouched
				return 1
			}
		}
	}
	def := int64(1)
	if co != L {
		def = 0
	}
	level := int(optInteger(L, a+1, "debug.traceback", def))
	var b strings.Builder
	if msg != lua.LNil {
		b.WriteString(lua.LVAsString(msg))
		b.WriteByte('\n')
	}
	b.WriteString(traceback(L, co, level))
	L.Push(lua.LString(b.String()))
	return 1
}

// traceback is luaL_traceback's text for co from level on.
func traceback(L, co *lua.LState, level int) string {
	var frames []frameInfo
	levels := realLevels(co)
	for lv := 0; ; lv++ {
		fi, ok := levelInfo(L, co, lv, levels)
		if !ok {
			break
		}
		frames = append(frames, fi)
	}
	// A main chunk was called by the host, which 5.4 shows as a C level.
	if n := len(frames); n > 0 && frames[n-1].what == "main" {
		frames = append(frames, frameInfo{what: "C", shortSrc: "[C]", line: -1})
	}
	frames = frames[min(max(level, 0), len(frames)):]
	var b strings.Builder
	b.WriteString("stack traceback:")
	globals := globalFuncNames(L)
	// Like luaL_traceback, a long stack shows its first traceFirst levels,
	// a line standing for the middle ones, then its last traceLast levels;
	// the count it prints is one less than the levels the line hides.
	long := len(frames) > traceFirst+traceLast+1
	for i, fi := range frames {
		if long && i == traceFirst {
			fmt.Fprintf(&b, "\n\t...\t(skipping %d levels)", len(frames)-traceFirst-traceLast-1)
		}
		if long && i >= traceFirst && i < len(frames)-traceLast {
			continue
		}
		b.WriteString("\n\t")
		b.WriteString(fi.shortSrc)
		b.WriteByte(':')
		if fi.line > 0 {
			fmt.Fprintf(&b, "%d:", fi.line)
		}
		b.WriteString(" in ")
		b.WriteString(funcDescription(fi, globals))
		if fi.tail {
			b.WriteString("\n\t(...tail calls...)")
		}
	}
	return b.String()
}

// funcDescription is luaL_traceback's pushfuncname.
func funcDescription(fi frameInfo, globals map[*lua.LFunction]string) string {
	if fi.fn != nil {
		if g, ok := globals[fi.fn]; ok {
			return "function '" + g + "'"
		}
	}
	switch {
	case fi.namewhat != "":
		return fi.namewhat + " '" + fi.name + "'"
	case fi.what == "main":
		return "main chunk"
	case fi.what != "C":
		return fmt.Sprintf("function <%s:%d>", fi.shortSrc, fi.fn.Proto.LineDefined)
	}
	return "?"
}

// globalFuncNames maps the functions of package.loaded's modules to their
// "module.name" ("name" for _G), as 5.4's pushglobalfuncname finds them.
// When a function has several names the shortest, then smallest, wins so
// that the choice does not depend on map order.
func globalFuncNames(L *lua.LState) map[*lua.LFunction]string {
	names := map[*lua.LFunction]string{}
	pkg, ok := L.GetGlobal("package").(*lua.LTable)
	if !ok {
		return names
	}
	loaded, ok := pkg.RawGetString("loaded").(*lua.LTable)
	if !ok {
		return names
	}
	var mods []string
	loaded.ForEach(func(k, v lua.LValue) {
		if s, ok := k.(lua.LString); ok {
			if _, ok := v.(*lua.LTable); ok {
				mods = append(mods, string(s))
			}
		}
	})
	sort.Strings(mods)
	for _, m := range mods {
		mod := loaded.RawGetString(m).(*lua.LTable)
		mod.ForEach(func(k, v lua.LValue) {
			f, ok := v.(*lua.LFunction)
			s, ok2 := k.(lua.LString)
			if !ok || !ok2 {
				return
			}
			name := m + "." + string(s)
			if m == "_G" {
				name = string(s)
			}
			if old, ok := names[f]; !ok || len(name) < len(old) || (len(name) == len(old) && name < old) {
				names[f] = name
			}
		})
	}
	return names
}

// Traceback is debug.traceback's text for L's own stack from level on
// ("stack traceback:\n\t..."), for error reports built outside a call of
// debug.traceback.
func Traceback(L *lua.LState, level int) string { return traceback(L, L, level) }
