package lua54

import (
	"errors"
	"fmt"
	"strings"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/ast"
)

// MaxSourceSize bounds the source Compile and Parse accept, so that a
// pathological input cannot exhaust memory in the front-end.
const MaxSourceSize = 64 << 20

// maxDepth bounds the nesting of expressions and blocks (Lua's LUAI_MAXCCALLS
// is 200); deeper input is a syntax error instead of a stack overflow.
const maxDepth = 200

// Parse parses Lua 5.4 source and returns the lowered gopher-lua AST. See
// Compile for chunkName. Code that uses goto should be compiled with
// Compile, which also repairs gopher-lua's upvalue closing for gotos.
func Parse(src []byte, chunkName string) ([]ast.Stmt, error) {
	stmts, _, err := parse(src, chunkID(chunkName), parseMode{file: isFileChunk(chunkName)})
	return stmts, err
}

// Compile parses Lua 5.4 source, lowers it to what gopher-lua's 5.1 VM
// runs and compiles it. chunkName follows Lua: "@path" for files, "=name"
// for a literal name, anything else is the source of a string chunk and is
// shown as [string "..."]. Syntax errors are *SyntaxError values that read
// like Lua's ("file.lua:3: unexpected symbol near '+'").
func Compile(src []byte, chunkName string) (*lua.FunctionProto, error) {
	return compile(src, chunkName, parseMode{markGotos: true})
}

// isFileChunk reports whether chunkName names a file ("@path"): only a
// file's first line may be a "#" comment, as luaL_loadfile skips it; load
// of a string starting with "#" is a syntax error in Lua 5.4.
func isFileChunk(chunkName string) bool { return strings.HasPrefix(chunkName, "@") }

// parseMode selects optional parts of parsing and lowering.
type parseMode struct {
	file      bool // a file: skip a BOM and a first line starting with '#'
	markGotos bool // mark gotos for fixer.fixGotos
	hiddenEnv bool // start the chunk with a local _ENV (see parse)
	// plainFor leaves numeric fors to gopher-lua's unchecked loop; only
	// the test comparing bytecode with gopher-lua's own parser uses it.
	plainFor bool
	// native51Ops keeps ".." and "%" as gopher-lua's opcodes (see
	// parser.native51Ops); only the bytecode comparison uses it.
	native51Ops bool
	// nativeAssign leaves every multiple assignment to gopher-lua (no
	// lowerAssign); only tests and benchmarks use it, to compare with
	// gopher-lua's own compilation.
	nativeAssign bool
}

func compile(src []byte, chunkName string, mode parseMode) (*lua.FunctionProto, error) {
	display := chunkID(chunkName)
	mode.file = isFileChunk(chunkName)
	stmts, p, err := parse(src, display, mode)
	if err != nil {
		return nil, err
	}
	proto, err := lua.Compile(stmts, display)
	if err != nil {
		var ce *lua.CompileError
		if errors.As(err, &ce) {
			return nil, &SyntaxError{Chunk: display, Line: ce.Line, Message: ce.Message}
		}
		return nil, fmt.Errorf("lua54: compile %s: %w", display, err)
	}
	fx := &fixer{gotoLines: p.gotoLines, helpers: map[string]*lua.LFunction{}}
	if len(p.gotoLines) > 0 {
		fx.gotoRegs = gotoRegisters(stmts, len(p.gotoLines))
	}
	fx.fix(proto)
	return proto, nil
}

// parse parses a chunk. A chunk that assigns to the free _ENV (which Lua
// 5.4 keeps in the main function's upvalue) is parsed a second time with a
// hidden "local _ENV" at its start, so that every free name goes through
// it; other chunks keep plain global accesses.
func parse(src []byte, display string, mode parseMode) ([]ast.Stmt, *parser, error) {
	if len(src) > MaxSourceSize {
		return nil, nil, &SyntaxError{Chunk: display, Line: 1, Message: fmt.Sprintf("chunk too large (%d bytes, limit %d)", len(src), MaxSourceSize)}
	}
	if mode.file {
		src = skipPrelude(src)
	}
	stmts, p, err := parseWith(src, display, mode)
	if err == nil && p.assignsEnv {
		mode.hiddenEnv = true
		stmts, p, err = parseWith(src, display, mode)
	}
	return stmts, p, err
}

func parseWith(src []byte, display string, mode parseMode) (stmts []ast.Stmt, p *parser, err error) {
	p = &parser{lx: lexer{src: src, line: 1, chunk: display}, mode: mode, native51Ops: mode.native51Ops}
	defer func() {
		if r := recover(); r != nil {
			se, ok := r.(*SyntaxError)
			if !ok {
				panic(r)
			}
			stmts, err = nil, se
		}
	}()
	stmts = p.chunk()
	return stmts, p, nil
}

// skipPrelude drops a UTF-8 BOM and a first line starting with '#' (a
// shebang), keeping the newline so that line numbers stay right.
func skipPrelude(src []byte) []byte {
	if len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		src = src[3:]
	}
	if len(src) > 0 && src[0] == '#' {
		i := 0
		for i < len(src) && src[i] != '\n' && src[i] != '\r' {
			i++
		}
		src = src[i:]
	}
	return src
}

// chunkID renders a chunk name the way Lua's luaO_chunkid does.
func chunkID(name string) string {
	const idSize = 60
	switch {
	case strings.HasPrefix(name, "="):
		s := name[1:]
		if len(s) > idSize-1 {
			s = s[:idSize-1]
		}
		return s
	case strings.HasPrefix(name, "@"):
		s := name[1:]
		if len(s) <= idSize-1 {
			return s
		}
		return "..." + s[len(s)-(idSize-1-3):]
	default:
		const pre, rets, pos = `[string "`, "...", `"]`
		bufLen := idSize - len(pre+rets+pos) - 1
		nl := strings.IndexAny(name, "\r\n")
		if len(name) < bufLen && nl < 0 {
			return pre + name + pos
		}
		s := name
		if nl >= 0 {
			s = s[:nl]
		}
		if len(s) > bufLen {
			s = s[:bufLen]
		}
		return pre + s + rets + pos
	}
}

// Instruction layout of gopher-lua (opcode.go): opcode in bits 26-31, A in
// 18-25, Bx in 0-17; sBx is Bx minus maxArgSbx.
const (
	maskA     = 0x03fc0000
	maskBx    = 0x3ffff
	maxArgBx  = 1<<18 - 1
	maxArgSbx = maxArgBx >> 1
)

// fixer post-processes compiled prototypes.
type fixer struct {
	gotoLines []int
	gotoRegs  []int // registers active at each marked goto's target
	helpers   map[string]*lua.LFunction
}

func (fx *fixer) fix(proto *lua.FunctionProto) {
	// Lua 5.4 has no implicit "arg" table in vararg functions; the
	// parser keeps "arg" a global (see parser.globalName), so gopher-lua
	// need not build the table on every call.
	proto.IsVarArg &^= lua.VarArgNeedsArg
	fx.linkHelpers(proto)
	nameHelperCalls(proto)
	fx.fixGotos(proto)
	for _, child := range proto.FunctionPrototypes {
		fx.fix(child)
	}
}

// linkHelpers turns each OP_GETGLOBAL of a helper name into an OP_LOADK of
// the helper function, added to the prototype's constants. The helper
// functions are created per Compile call and hold no state.
func (fx *fixer) linkHelpers(proto *lua.FunctionProto) {
	var index map[string]int
	for pc, inst := range proto.Code {
		if int(inst>>26) != lua.OP_GETGLOBAL {
			continue
		}
		s, ok := proto.Constants[inst&maskBx].(lua.LString)
		if !ok || !strings.HasPrefix(string(s), helperPrefix) {
			continue
		}
		name := string(s)
		if index == nil {
			index = map[string]int{}
		}
		k, ok := index[name]
		if !ok {
			fn := fx.helpers[name]
			if fn == nil {
				fn = &lua.LFunction{IsG: true, GFunction: helperFunc(name)}
				fx.helpers[name] = fn
			}
			k = len(proto.Constants)
			if k > maxArgBx {
				continue // left as a (nil) global: calling it fails loudly
			}
			proto.Constants = append(proto.Constants, fn)
			index[name] = k
		}
		proto.Code[pc] = uint32(lua.OP_LOADK)<<26 | inst&maskA | uint32(k)
	}
}

// fixGotos restores the real line of each goto (the parser marks gotos
// with negative lines) and sets the A operand of the OP_CLOSE gopher-lua
// emits before a goto's jump. gopher-lua leaves it 0 unless the block
// captured an upvalue, which closes every upvalue of the frame, so
// closures still in scope would lose their shared variables. A becomes the
// number of registers holding locals at the jump target (gotoRegisters):
// exactly the variables the jump leaves get closed.
func (fx *fixer) fixGotos(proto *lua.FunctionProto) {
	for pc, line := range proto.DbgSourcePositions {
		if line > -gotoMarkerBase {
			continue
		}
		mark := -line - gotoMarkerBase - 1
		proto.DbgSourcePositions[pc] = fx.gotoLines[mark]
		inst := proto.Code[pc]
		if int(inst>>26) != lua.OP_CLOSE || fx.gotoRegs[mark] < 0 {
			continue
		}
		proto.Code[pc] = inst&^maskA | uint32(fx.gotoRegs[mark])<<18&maskA
	}
}
