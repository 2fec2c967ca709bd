package lua54

import (
	"fmt"
	"strconv"

	"github.com/yuin/gopher-lua/ast"
)

// Local variable attributes.
const (
	attrNone = iota
	attrConst
	attrClose
)

// localVar is an active declaration: a local variable, or (global set) a
// Lua 5.5 global declaration, whose name is "" for "global *".
type localVar struct {
	name   string
	attr   int
	global bool
	// captured: a nested function parsed so far refers to it (see
	// lowerAssign).
	captured bool
}

type labelDesc struct {
	name    string
	line    int
	nactvar int
}

type gotoDesc struct {
	name    string
	line    int
	nactvar int
}

// blockState mirrors lparser.c's BlockCnt: enough to check goto and label
// rules of Lua 5.4 and to pop locals when the block ends.
type blockState struct {
	parent     *blockState
	nactvar    int
	firstLabel int
	firstGoto  int
	isLoop     bool
}

type funcState struct {
	parent     *funcState
	line       int // where the function starts; 0 for the main chunk
	actvars    []localVar
	block      *blockState
	labels     []labelDesc
	gotos      []gotoDesc
	isVararg   bool
	varargUses int
	// nparams counts the named parameters, "self" included; shadowLast
	// records an assignment that gopher-lua would compile into the last
	// parameter's register in place (see shadowLastParam).
	nparams    int
	shadowLast bool
}

// closeMark records a "local ... <close>" statement inside a statement list.
type closeMark struct {
	index      int // index of the LocalAssignStmt in the list
	name       string
	line       int
	varargUses int // fs.varargUses right after the declaration
}

type parser struct {
	lx          lexer
	tok         token
	ahead       token
	hasAhead    bool
	fs          *funcState
	envLocals   int  // active locals named _ENV, all functions
	globalDecls int  // active global declarations, all functions
	anyAttrib   bool // some <const>/<close> local or <const> global was declared
	// nameUses, while a multiple assignment's right-hand side is parsed,
	// collects the names singlevar resolves (see lowerAssign).
	nameUses map[string]bool
	// assignsEnv records, in a parse without mode.hiddenEnv, that the
	// chunk assigns to the free _ENV and so needs it (see parse).
	assignsEnv bool
	// readOnly maps the name expressions singlevar built for <const> or
	// <close> locals and read-only globals to their names, so that an
	// assignment to one is refused. Nil until needed.
	readOnly map[ast.Expr]string
	// gotoLines maps goto marker lines (see markGoto) to real lines; nil
	// when Parse is called without markers.
	gotoLines []int
	mode      parseMode
	depth     int // nesting of expressions and statements, see maxDepth
	// labelRunEnd caches onlyLabelsFollow: scanning a run of labels once
	// keeps long runs linear.
	labelRunEnd  int
	labelRunLast bool
	// native51Ops keeps ".." and "%" as gopher-lua's OP_CONCAT and OP_MOD
	// (see lowerConcat, lowerMod); only tests that compare bytecode with
	// gopher-lua's compiler set it.
	native51Ops bool
	// exactLits holds the integer literals and constants float64 cannot
	// hold exactly of the expressions being parsed; only integer
	// expressions may use them (see checkExactLits).
	exactLits []*exactIntExpr
	// intTrees maps lowered bitwise, // and % expressions to their integer
	// expression trees, so that an enclosing operator fuses them (see
	// lowerInt). Nil until needed.
	intTrees map[ast.Expr]*inode
}

func (p *parser) enterLevel() {
	p.depth++
	if p.depth > maxDepth {
		p.errorNear("chunk has too many syntax levels")
	}
}

func (p *parser) next() {
	if p.hasAhead {
		p.tok = p.ahead
		p.hasAhead = false
		return
	}
	p.tok = p.lx.next()
}

func (p *parser) lookahead() token {
	if !p.hasAhead {
		p.ahead = p.lx.next()
		p.hasAhead = true
	}
	return p.ahead
}

// tokenNear renders the current token for "near ..." like luaX_token2str.
func (p *parser) tokenNear(t token) string {
	switch t.kind {
	case tkEOF:
		return "<eof>"
	case tkName, tkNumber:
		return quoteNear(t.str)
	case tkString:
		return quoteNear(t.str)
	}
	if s, ok := tokenText[t.kind]; ok {
		return quoteNear(s)
	}
	if t.kind < 0x20 || t.kind >= 0x7f {
		// Like luaX_token2str: a byte that is not printable ASCII (such
		// as the first byte of a UTF-8 letter) shows as its code.
		return fmt.Sprintf("'<\\%d>'", t.kind)
	}
	return quoteNear(string(rune(t.kind)))
}

func (p *parser) errorNear(format string, args ...any) {
	p.lx.errorf(p.tok.line, p.tokenNear(p.tok), format, args...)
}

// semError is luaK_semerror: no "near" part.
func (p *parser) semError(line int, format string, args ...any) {
	p.lx.errorf(line, "", format, args...)
}

func kindText(k int) string {
	if s, ok := tokenText[k]; ok {
		return s
	}
	return string(rune(k))
}

func (p *parser) errorExpected(k int) {
	p.errorNear("'%s' expected", kindText(k))
}

func (p *parser) check(k int) {
	if p.tok.kind != k {
		p.errorExpected(k)
	}
}

func (p *parser) checkNext(k int) {
	p.check(k)
	p.next()
}

func (p *parser) testNext(k int) bool {
	if p.tok.kind == k {
		p.next()
		return true
	}
	return false
}

func (p *parser) checkMatch(what, who, line int) {
	if p.tok.kind != what {
		if line == p.tok.line {
			p.errorExpected(what)
		}
		p.errorNear("'%s' expected (to close '%s' at line %d)", kindText(what), kindText(who), line)
	}
	p.next()
}

func (p *parser) checkName() token {
	if p.tok.kind != tkName {
		p.errorNear("<name> expected")
	}
	t := p.tok
	p.next()
	return t
}

func blockFollow(k int, withUntil bool) bool {
	switch k {
	case tkElse, tkElseif, tkEnd, tkEOF:
		return true
	case tkUntil:
		return withUntil
	}
	return false
}

/* ---- scopes ---- */

func (p *parser) openFunc(isVararg bool, line int) *funcState {
	fs := &funcState{parent: p.fs, isVararg: isVararg, line: line}
	p.fs = fs
	p.enterBlock(false)
	return fs
}

func (p *parser) closeFunc() {
	p.leaveBlock()
	p.fs = p.fs.parent
}

func (p *parser) enterBlock(isLoop bool) {
	fs := p.fs
	fs.block = &blockState{parent: fs.block, nactvar: len(fs.actvars),
		firstLabel: len(fs.labels), firstGoto: len(fs.gotos), isLoop: isLoop}
}

func (p *parser) leaveBlock() {
	fs := p.fs
	bl := fs.block
	for _, v := range fs.actvars[bl.nactvar:] {
		switch {
		case v.global:
			p.globalDecls--
		case v.name == "_ENV":
			p.envLocals--
		}
	}
	fs.actvars = fs.actvars[:bl.nactvar]
	fs.labels = fs.labels[:bl.firstLabel]
	if bl.parent == nil {
		if len(fs.gotos) > bl.firstGoto {
			gt := fs.gotos[bl.firstGoto]
			if gt.name == "break" {
				p.semError(p.tok.line, "break outside loop at line %d", gt.line)
			}
			p.semError(p.tok.line, "no visible label '%s' for <goto> at line %d", gt.name, gt.line)
		}
	} else {
		// Pending gotos move to the enclosing block, now outside this
		// block's locals.
		for i := bl.firstGoto; i < len(fs.gotos); i++ {
			if fs.gotos[i].nactvar > bl.nactvar {
				fs.gotos[i].nactvar = bl.nactvar
			}
		}
	}
	fs.block = bl.parent
}

// maxLocals is Lua's limit of active local variables per function. It
// also bounds how deeply <close> scopes nest.
const maxLocals = 200

func (p *parser) checkLocalLimit() {
	if len(p.fs.actvars) >= maxLocals {
		where := "main function"
		if p.fs.line > 0 {
			where = fmt.Sprintf("function at line %d", p.fs.line)
		}
		p.errorNear("too many local variables (limit is %d) in %s", maxLocals, where)
	}
}

func (p *parser) addLocal(name string, attr int) {
	if name == "_ENV" {
		p.envLocals++
	}
	if attr != attrNone {
		p.anyAttrib = true
	}
	p.fs.actvars = append(p.fs.actvars, localVar{name: name, attr: attr})
}

// addGlobal activates a global declaration ("" for "global *").
func (p *parser) addGlobal(name string, attr int) {
	p.globalDecls++
	if attr != attrNone {
		p.anyAttrib = true
	}
	p.fs.actvars = append(p.fs.actvars, localVar{name: name, attr: attr, global: true})
}

// findLocal looks a name up through the enclosing functions: it reports
// the innermost declaration of name when that is a local (a global
// declaration of the same name shadows outer locals).
func (p *parser) findLocal(name string) (localVar, bool) {
	for fs := p.fs; fs != nil; fs = fs.parent {
		for i := len(fs.actvars) - 1; i >= 0; i-- {
			if v := fs.actvars[i]; v.name == name {
				return v, !v.global
			}
		}
	}
	return localVar{}, false
}

// localVisible reports whether some local named name is in scope, even if
// a global declaration shadows it: gopher-lua's compiler would bind a plain
// name to that local.
func (p *parser) localVisible(name string) bool {
	for fs := p.fs; fs != nil; fs = fs.parent {
		for i := len(fs.actvars) - 1; i >= 0; i-- {
			if v := fs.actvars[i]; v.name == name && !v.global {
				return true
			}
		}
	}
	return false
}

// resolve finds what a name refers to under Lua 5.5's rules (lparser.c's
// searchvar): the innermost local or global declaration of that name;
// otherwise a global through the innermost "global *" in scope, or, when
// no global declaration at all is in scope, through the implicit initial
// "global *". A free name in the scope of other global declarations only
// is the compile error "variable 'x' not declared". ro reports a
// read-only variable (<const> or <close> local, <const> global).
func (p *parser) resolve(name string) (local, ro bool) {
	var collective *localVar
	named := false
	for fs := p.fs; fs != nil; fs = fs.parent {
		for i := len(fs.actvars) - 1; i >= 0; i-- {
			v := &fs.actvars[i]
			switch {
			case v.name == name:
				return !v.global, v.attr != attrNone
			case v.global && v.name == "":
				if collective == nil {
					collective = v
				}
			case v.global:
				named = true
			}
		}
	}
	if collective != nil {
		return false, collective.attr != attrNone
	}
	if named {
		p.semError(p.tok.line, "variable '%s' not declared", name)
	}
	return false, false
}

/* ---- gotos and labels (Lua 5.4 rules) ---- */

func (p *parser) findLabel(name string) *labelDesc {
	fs := p.fs
	for i := len(fs.labels) - 1; i >= 0; i-- {
		if fs.labels[i].name == name {
			return &fs.labels[i]
		}
	}
	return nil
}

func (p *parser) createLabel(name string, line int, last bool) {
	fs := p.fs
	if old := p.findLabel(name); old != nil {
		p.semError(p.tok.line, "label '%s' already defined on line %d", name, old.line)
	}
	l := labelDesc{name: name, line: line, nactvar: len(fs.actvars)}
	if last {
		l.nactvar = fs.block.nactvar
	}
	fs.labels = append(fs.labels, l)
	// Solve pending gotos of the current block.
	kept := fs.gotos[:fs.block.firstGoto]
	for _, gt := range fs.gotos[fs.block.firstGoto:] {
		if gt.name != name {
			kept = append(kept, gt)
			continue
		}
		if gt.nactvar < l.nactvar {
			v := fs.actvars[gt.nactvar]
			what := "local '" + v.name + "'"
			if v.global {
				what = "global '" + v.name + "'"
				if v.name == "" {
					what = "global '*'"
				}
			}
			p.semError(p.tok.line, "<goto %s> at line %d jumps into the scope of %s",
				gt.name, gt.line, what)
		}
	}
	fs.gotos = kept
}

func (p *parser) newGoto(name string, line int) {
	if name != "break" {
		if p.findLabel(name) != nil {
			return // backward jump: always fine
		}
	}
	p.fs.gotos = append(p.fs.gotos, gotoDesc{name: name, line: line, nactvar: len(p.fs.actvars)})
}

// markGoto returns the line to put on a GotoStmt: a negative marker that
// Compile maps back after fixing the jump's OP_CLOSE (see fixGotos).
func (p *parser) markGoto(line int) int {
	if !p.mode.markGotos {
		return line
	}
	p.gotoLines = append(p.gotoLines, line)
	return -len(p.gotoLines) - gotoMarkerBase
}

const gotoMarkerBase = 1 << 20

func (p *parser) gotoStmt(name string, line int) *ast.GotoStmt {
	st := &ast.GotoStmt{Label: name}
	st.SetLine(p.markGoto(line))
	st.SetLastLine(line)
	return st
}

/* ---- chunk ---- */

func (p *parser) chunk() []ast.Stmt {
	p.next()
	p.openFunc(true, 0)
	if p.mode.hiddenEnv {
		p.addLocal("_ENV", attrNone)
	}
	stmts, closes := p.statlist()
	if p.tok.kind != tkEOF {
		p.errorNear("<eof> expected")
	}
	stmts = p.lowerCloses(stmts, closes, p.fs.varargUses)
	if p.mode.hiddenEnv {
		// The chunk's _ENV, which Lua 5.4 keeps in an upvalue, becomes a
		// local initialised to the function's environment: assignments
		// to it redirect the free names after them, closures share it.
		decl := &ast.LocalAssignStmt{Names: []string{"_ENV"}, Exprs: []ast.Expr{helperCall(envHelper, 1)}}
		decl.SetLine(1)
		stmts = append([]ast.Stmt{decl}, stmts...)
	}
	p.closeFunc()
	return stmts
}

// statlist parses statements up to the end of a block. "<close>"
// declarations are recorded, not lowered, so that the caller can add code
// (the condition of repeat-until) before lowering.
func (p *parser) statlist() ([]ast.Stmt, []closeMark) {
	stmts := []ast.Stmt{}
	var closes []closeMark
	for !blockFollow(p.tok.kind, true) {
		if p.tok.kind == tkReturn {
			stmts = append(stmts, p.retstat())
			break
		}
		lits := len(p.exactLits)
		st, cm := p.statement()
		p.checkExactLits(lits)
		if st == nil {
			continue
		}
		if n := len(stmts); n > 0 && startsWithJump(st) {
			if _, ok := stmts[n-1].(*ast.LabelStmt); ok {
				stmts = append(stmts, jumpGuard(st.Line())) // see jumps.go
			}
		}
		if cm != nil {
			cm.index = len(stmts)
			closes = append(closes, *cm)
		}
		stmts = append(stmts, st)
	}
	return stmts, closes
}

// block parses a block in its own scope and lowers its <close> variables.
func (p *parser) block() []ast.Stmt {
	p.enterBlock(false)
	stmts, closes := p.statlist()
	stmts = p.lowerCloses(stmts, closes, p.fs.varargUses)
	p.leaveBlock()
	return stmts
}

func (p *parser) loopBlock() []ast.Stmt {
	p.enterBlock(true)
	stmts := p.block()
	p.leaveBlock()
	return stmts
}

func (p *parser) statement() (ast.Stmt, *closeMark) {
	p.enterLevel()
	defer func() { p.depth-- }()
	line := p.tok.line
	switch p.tok.kind {
	case ';':
		p.next()
		return nil, nil
	case tkIf:
		return p.ifstat(line), nil
	case tkWhile:
		p.next()
		cond := p.expr()
		p.checkNext(tkDo)
		body := p.loopBlock()
		endLine := p.tok.line
		p.checkMatch(tkEnd, tkWhile, line)
		st := &ast.WhileStmt{Condition: cond, Stmts: guardLoopBody(body)}
		st.SetLine(line)
		st.SetLastLine(endLine)
		return st, nil
	case tkDo:
		p.next()
		body := p.block()
		endLine := p.tok.line
		p.checkMatch(tkEnd, tkDo, line)
		st := &ast.DoBlockStmt{Stmts: body}
		st.SetLine(line)
		st.SetLastLine(endLine)
		return st, nil
	case tkFor:
		return p.forstat(line), nil
	case tkRepeat:
		return p.repeatstat(line), nil
	case tkFunction:
		p.next()
		name := p.funcname()
		fn := p.funcbody(name.Func == nil, line)
		st := &ast.FuncDefStmt{Name: name, Func: fn}
		st.SetLine(line)
		st.SetLastLine(fn.LastLine())
		return st, nil
	case tkLocal:
		p.next()
		if p.testNext(tkFunction) {
			nt := p.checkName()
			p.addLocal(nt.str, attrNone)
			fn := p.funcbody(false, line)
			st := &ast.LocalAssignStmt{Names: []string{nt.str}, Exprs: []ast.Expr{fn}}
			st.SetLine(line)
			st.SetLastLine(fn.LastLine())
			return st, nil
		}
		return p.localstat(line)
	case tkDbColon:
		p.next()
		nt := p.checkName()
		p.checkNext(tkDbColon)
		st := &ast.LabelStmt{Name: nt.str}
		st.SetLine(line)
		p.labelstat(nt.str, line)
		return st, nil
	case tkReturn:
		return p.retstat(), nil
	case tkBreak:
		p.next()
		if !p.inLoop() {
			// Reported when the function ends, like 5.4's undefgoto.
			p.fs.gotos = append(p.fs.gotos, gotoDesc{name: "break", line: line, nactvar: len(p.fs.actvars)})
		}
		st := &ast.BreakStmt{}
		st.SetLine(line)
		return st, nil
	case tkGoto:
		p.next()
		nt := p.checkName()
		p.newGoto(nt.str, line)
		return p.gotoStmt(nt.str, line), nil
	case tkName:
		// "global" is a reserved word only where Lua 5.5 (with its default
		// LUA_COMPAT_GLOBAL) reads a declaration, so 5.4 code may keep
		// using it as a name.
		if p.tok.str == "global" {
			switch p.lookahead().kind {
			case '<', tkName, '*', tkFunction:
				return p.globalstat(line), nil
			}
		}
		return p.exprstat(), nil
	default:
		return p.exprstat(), nil
	}
}

// globalstat parses a Lua 5.5 global declaration after the word "global":
// "function NAME body", "[attrib] *" or "[attrib] NAME [attrib] {, NAME
// [attrib]} [= explist]". Declarations only steer name resolution; an
// initialisation (and "global function") is lowered to a call of the
// defglobal helper, which raises "global 'x' already defined" when the
// global is not nil, then assigns it. It returns nil when nothing runs.
func (p *parser) globalstat(line int) ast.Stmt {
	p.next() // 'global'
	if p.testNext(tkFunction) {
		nt := p.checkName()
		p.checkLocalLimit()
		p.addGlobal(nt.str, attrNone) // in scope in its own body
		fn := p.funcbody(false, line)
		st := &ast.FuncCallStmt{Expr: p.defGlobals(line, []string{nt.str}, []ast.Expr{fn})}
		st.SetLine(line)
		st.SetLastLine(fn.LastLine())
		return st
	}
	defAttr := p.globalAttrib(attrNone)
	if p.testNext('*') {
		p.checkLocalLimit()
		p.addGlobal("", defAttr)
		return nil
	}
	var names []string
	var attrs []int
	for {
		p.checkLocalLimit()
		nt := p.checkName()
		names = append(names, nt.str)
		attrs = append(attrs, p.globalAttrib(defAttr))
		if !p.testNext(',') {
			break
		}
	}
	var st ast.Stmt
	if p.testNext('=') {
		exprs := p.exprlist() // the new names are not in scope yet
		s := &ast.FuncCallStmt{Expr: p.defGlobals(line, names, exprs)}
		s.SetLine(line)
		st = s
	}
	for i, n := range names {
		p.addGlobal(n, attrs[i])
	}
	return st
}

// globalAttrib reads an optional attribute of a global declaration.
func (p *parser) globalAttrib(def int) int {
	if !p.testNext('<') {
		return def
	}
	at := p.checkName()
	p.checkNext('>')
	switch at.str {
	case "const":
		return attrConst
	case "close":
		p.semError(p.tok.line, "global variables cannot be to-be-closed")
	default:
		p.semError(p.tok.line, "unknown attribute '%s'", at.str)
	}
	return def
}

// defGlobals builds defglobal(env, #names, names..., exprs...).
func (p *parser) defGlobals(line int, names []string, exprs []ast.Expr) ast.Expr {
	var env ast.Expr
	if _, ok := p.findLocal("_ENV"); ok {
		id := &ast.IdentExpr{Value: "_ENV"}
		id.SetLine(line)
		env = id
	} else {
		env = helperCall(envHelper, line)
	}
	args := []ast.Expr{env, numLit(len(names), line)}
	for _, n := range names {
		s := &ast.StringExpr{Value: n}
		s.SetLine(line)
		args = append(args, s)
	}
	call := helperCall(defglobalHelper, line, append(args, exprs...)...)
	call.AdjustRet = false
	return call
}

func (p *parser) inLoop() bool {
	for bl := p.fs.block; bl != nil; bl = bl.parent {
		if bl.isLoop {
			return true
		}
	}
	return false
}

// labelstat applies 5.4's rule that a label followed only by void
// statements up to the end of the block is outside the block's locals.
func (p *parser) labelstat(name string, line int) {
	for p.tok.kind == ';' {
		p.next()
	}
	last := blockFollow(p.tok.kind, false)
	if p.tok.kind == tkDbColon {
		// Another label follows: it may still be at the end of the block.
		if p.lx.pos < p.labelRunEnd {
			last = p.labelRunLast
		} else {
			last = p.onlyLabelsFollow()
		}
	}
	p.createLabel(name, line, last)
}

// onlyLabelsFollow reports whether the tokens from here to the end of the
// block are only labels and semicolons. It scans a copy of the lexer.
func (p *parser) onlyLabelsFollow() bool {
	lx := p.lx
	lx.buf = nil
	t := p.tok
	ahead, has := p.ahead, p.hasAhead
	nextTok := func() token {
		if has {
			has = false
			return ahead
		}
		return lx.next()
	}
	defer func() { _ = recover() }() // a lexical error later is reported by the real scan
	p.labelRunEnd, p.labelRunLast = len(lx.src)+1, false
	for {
		p.labelRunEnd = lx.pos
		switch t.kind {
		case ';':
			t = nextTok()
		case tkDbColon:
			if n := nextTok(); n.kind != tkName {
				return false
			}
			if n := nextTok(); n.kind != tkDbColon {
				return false
			}
			t = nextTok()
		default:
			p.labelRunLast = blockFollow(t.kind, false)
			return p.labelRunLast
		}
	}
}

func (p *parser) ifstat(line int) ast.Stmt {
	p.next()
	cond := p.expr()
	p.checkNext(tkThen)
	then := p.block()
	top := &ast.IfStmt{Condition: cond, Then: then}
	top.SetLine(line)
	cur := top
	for p.tok.kind == tkElseif {
		eline := p.tok.line
		p.next()
		c := p.expr()
		p.checkNext(tkThen)
		b := p.block()
		st := &ast.IfStmt{Condition: c, Then: b}
		st.SetLine(eline)
		cur.Else = []ast.Stmt{st}
		cur = st
	}
	if p.testNext(tkElse) {
		cur.Else = p.block()
	}
	endLine := p.tok.line
	p.checkMatch(tkEnd, tkIf, line)
	top.SetLastLine(endLine)
	return top
}

func (p *parser) forstat(line int) ast.Stmt {
	p.next()
	p.enterBlock(true)
	n1 := p.checkName()
	var st ast.Stmt
	switch p.tok.kind {
	case '=':
		p.next()
		init := p.expr()
		p.checkNext(',')
		limit := p.expr()
		var step ast.Expr
		if p.testNext(',') {
			step = p.expr()
		}
		p.checkNext(tkDo)
		p.addLocal(n1.str, attrNone)
		body := p.block()
		endLine := p.tok.line
		p.checkMatch(tkEnd, tkFor, line)
		s := &ast.NumberForStmt{Name: n1.str, Init: init, Limit: limit, Step: step, Stmts: body}
		s.SetLine(line)
		s.SetLastLine(endLine)
		st = s
		if !p.mode.plainFor {
			st = lowerNumericFor(s, line)
		}
	case ',', tkIn:
		names := []string{n1.str}
		for p.testNext(',') {
			names = append(names, p.checkName().str)
		}
		p.checkNext(tkIn)
		exprs := p.exprlist()
		p.checkNext(tkDo)
		for _, n := range names {
			p.addLocal(n, attrNone)
		}
		body := p.block()
		endLine := p.tok.line
		p.checkMatch(tkEnd, tkFor, line)
		s := &ast.GenericForStmt{Names: names, Exprs: exprs, Stmts: guardLoopBody(body)}
		s.SetLine(line)
		s.SetLastLine(endLine)
		st = s
	default:
		p.errorNear("'=' or 'in' expected")
	}
	p.leaveBlock()
	return st
}

func (p *parser) repeatstat(line int) ast.Stmt {
	p.next()
	p.enterBlock(true)
	p.enterBlock(false)
	body, closes := p.statlist()
	p.checkMatch(tkUntil, tkRepeat, line)
	cond := p.expr() // sees the body's locals
	var st ast.Stmt
	if len(closes) == 0 {
		s := &ast.RepeatStmt{Condition: cond, Stmts: guardLoopBody(body)}
		s.SetLine(line)
		s.SetLastLine(cond.Line())
		st = s
	} else {
		// The condition runs inside the scope of the to-be-closed
		// variables, so it moves into the body: while true do body; if
		// cond then break end end.
		brk := &ast.BreakStmt{}
		brk.SetLine(cond.Line())
		ifs := &ast.IfStmt{Condition: cond, Then: []ast.Stmt{brk}, Else: []ast.Stmt{}}
		ifs.SetLine(cond.Line())
		body = append(body, ifs)
		body = p.lowerCloses(body, closes, p.fs.varargUses)
		tr := &ast.TrueExpr{}
		tr.SetLine(line)
		s := &ast.WhileStmt{Condition: tr, Stmts: guardLoopBody(body)}
		s.SetLine(line)
		s.SetLastLine(cond.Line())
		st = s
	}
	p.leaveBlock()
	p.leaveBlock()
	return st
}

func (p *parser) funcname() *ast.FuncName {
	nt := p.checkName()
	var fn ast.Expr = p.singlevar(nt.str, nt.line)
	for p.tok.kind == '.' {
		p.next()
		kt := p.checkName()
		if _, ok := fn.(*envExpr); ok {
			fn = p.globalName(kt.str, kt.line)
			continue
		}
		key := &ast.StringExpr{Value: kt.str}
		key.SetLine(kt.line)
		ag := &ast.AttrGetExpr{Object: fn, Key: key}
		ag.SetLine(kt.line)
		fn = ag
	}
	if env, ok := fn.(*envExpr); ok {
		if p.tok.kind != ':' {
			p.assignsEnv = true // parsed again with a local _ENV, see parse
		}
		fn = p.materializeEnv(env)
	}
	if p.tok.kind != ':' {
		p.checkReadOnly(fn)
	}
	if p.testNext(':') {
		mt := p.checkName()
		return &ast.FuncName{Receiver: fn, Method: mt.str}
	}
	return &ast.FuncName{Func: fn}
}

// funcbody parses "(params) block end". The returned FunctionExpr's line is
// that of '(' like gopher-lua's grammar; callers adjust it as its rules do.
func (p *parser) funcbody(isMethod bool, line int) *ast.FunctionExpr {
	openLine := p.tok.line
	p.checkNext('(')
	par := &ast.ParList{Names: []string{}}
	fs := p.openFunc(false, line)
	if isMethod {
		p.addLocal("self", attrNone)
	}
	if p.tok.kind != ')' {
		for {
			if p.tok.kind == tkDots {
				p.next()
				par.HasVargs = true
				break
			}
			nt := p.checkName()
			par.Names = append(par.Names, nt.str)
			p.addLocal(nt.str, attrNone)
			if !p.testNext(',') {
				break
			}
		}
	}
	fs.isVararg = par.HasVargs
	fs.nparams = len(fs.actvars)
	p.checkNext(')')
	stmts, closes := p.statlist()
	stmts = p.lowerCloses(stmts, closes, fs.varargUses)
	if fs.shadowLast {
		stmts = shadowLastParam(fs.actvars[fs.nparams-1].name, line, stmts)
	}
	endLine := p.tok.line
	p.checkMatch(tkEnd, tkFunction, line)
	p.closeFunc()
	fe := &ast.FunctionExpr{ParList: par, Stmts: stmts}
	fe.SetLine(openLine)
	fe.SetLastLine(endLine)
	return fe
}

func (p *parser) localstat(line int) (ast.Stmt, *closeMark) {
	type decl struct {
		name string
		attr int
	}
	var decls []decl
	var cm *closeMark
	for {
		p.checkLocalLimit()
		nt := p.checkName()
		attr := attrNone
		if p.testNext('<') {
			at := p.checkName()
			switch at.str {
			case "const":
				attr = attrConst
			case "close":
				attr = attrClose
			default:
				p.semError(p.tok.line, "unknown attribute '%s'", at.str)
			}
			p.checkNext('>')
		}
		if attr == attrClose {
			if cm != nil {
				p.semError(p.tok.line, "multiple to-be-closed variables in local list")
			}
			cm = &closeMark{name: nt.str, line: nt.line}
		}
		decls = append(decls, decl{nt.str, attr})
		if !p.testNext(',') {
			break
		}
	}
	exprs := []ast.Expr{}
	if p.testNext('=') {
		exprs = p.exprlist()
	}
	names := make([]string, len(decls))
	for i, d := range decls {
		names[i] = d.name
		p.addLocal(d.name, d.attr)
	}
	st := &ast.LocalAssignStmt{Names: names, Exprs: exprs}
	st.SetLine(line)
	if cm != nil {
		cm.varargUses = p.fs.varargUses
	}
	return st, cm
}

func (p *parser) retstat() ast.Stmt {
	line := p.tok.line
	p.next()
	st := &ast.ReturnStmt{}
	st.SetLine(line)
	if !blockFollow(p.tok.kind, true) && p.tok.kind != ';' {
		st.Exprs = p.exprlist()
	}
	p.testNext(';')
	if !blockFollow(p.tok.kind, true) {
		p.errorNear("<eof> expected")
	}
	return st
}

func (p *parser) exprstat() ast.Stmt {
	e, assignable := p.suffixedexp()
	if p.tok.kind == '=' || p.tok.kind == ',' {
		lhs := []ast.Expr{p.checkAssignTarget(e, assignable)}
		for p.testNext(',') {
			e2, ok2 := p.suffixedexp()
			lhs = append(lhs, p.checkAssignTarget(e2, ok2))
		}
		p.checkNext('=')
		if len(lhs) == 1 || p.mode.nativeAssign {
			rhs := p.exprlist()
			p.checkLastParamAssign(lhs, rhs)
			st := &ast.AssignStmt{Lhs: lhs, Rhs: rhs}
			st.SetLine(lhs[0].Line())
			return st
		}
		outer := p.nameUses
		var rhs []ast.Expr
		var uses []map[string]bool
		for {
			p.nameUses = map[string]bool{}
			rhs = append(rhs, p.expr())
			uses = append(uses, p.nameUses)
			if outer != nil {
				for n := range p.nameUses {
					outer[n] = true
				}
			}
			if !p.testNext(',') {
				break
			}
		}
		p.nameUses = outer
		p.checkLastParamAssign(lhs, rhs)
		st := &ast.AssignStmt{Lhs: lhs, Rhs: rhs}
		st.SetLine(lhs[0].Line())
		return p.lowerAssign(st, uses)
	}
	call, ok := e.(*ast.FuncCallExpr)
	if !ok || !assignable && call.AdjustRet {
		p.errorNear("syntax error")
	}
	st := &ast.FuncCallStmt{Expr: e}
	st.SetLine(e.Line())
	return st
}

// checkLastParamAssign marks the function for shadowLastParam when an
// assignment gives its last parameter the value of a call that gopher-lua
// compiles with the parameter as the target: a call in parentheses or
// followed by other values (the lowered operators //, &, |, ~, <<, >> are
// such calls). gopher-lua v1.1.2 (compileFuncCallExpr) then places the
// called function in the parameter's register before the arguments are
// evaluated, so "p = (f(p))" calls f with itself and "n = p // n" divides
// by a function; the arguments also land in the registers above it, which
// may be live locals.
func (p *parser) checkLastParamAssign(lhs, rhs []ast.Expr) {
	fs := p.fs
	if fs.nparams == 0 || fs.shadowLast {
		return
	}
	last := fs.actvars[fs.nparams-1].name
	for i, e := range lhs {
		id, ok := e.(*ast.IdentExpr)
		if !ok || id.Value != last || i >= len(rhs) {
			continue
		}
		call, ok := rhs[i].(*ast.FuncCallExpr)
		if !ok || !call.AdjustRet && i == len(rhs)-1 {
			continue
		}
		// The name must be the parameter, not a later local of that name.
		for j := len(fs.actvars) - 1; j >= fs.nparams-1; j-- {
			if fs.actvars[j].name == last {
				fs.shadowLast = j == fs.nparams-1
				break
			}
		}
		if fs.shadowLast {
			return
		}
	}
}

// shadowLastParam starts a function body with "local name = name", so that
// the last parameter's register is never an assignment target: the body's
// uses of name see the new local (one MOVE per call).
func shadowLastParam(name string, line int, stmts []ast.Stmt) []ast.Stmt {
	param := &ast.IdentExpr{Value: name}
	param.SetLine(line)
	st := &ast.LocalAssignStmt{Names: []string{name}, Exprs: []ast.Expr{param}}
	st.SetLine(line)
	return append([]ast.Stmt{st}, stmts...)
}

// checkReadOnly refuses an assignment to a name singlevar resolved to a
// <const> or <close> local or a read-only global.
func (p *parser) checkReadOnly(e ast.Expr) {
	if name, ok := p.readOnly[e]; ok {
		p.semError(p.tok.line, "attempt to assign to const variable '%s'", name)
	}
}

func (p *parser) checkAssignTarget(e ast.Expr, assignable bool) ast.Expr {
	if !assignable {
		p.errorNear("syntax error")
	}
	switch e.(type) {
	case *ast.IdentExpr, *ast.AttrGetExpr:
		p.checkReadOnly(e)
		return e
	case *envExpr:
		p.assignsEnv = true // parsed again with a local _ENV, see parse
		return e
	}
	p.errorNear("syntax error")
	return nil
}

/* ---- expressions ---- */

func (p *parser) exprlist() []ast.Expr {
	list := []ast.Expr{p.expr()}
	for p.testNext(',') {
		list = append(list, p.expr())
	}
	return list
}

// expr parses an expression, which must not leave an inexact integer
// literal outside an integer expression (a parenthesized expression is
// checked with the expression around it, as in "(K) & x").
func (p *parser) expr() ast.Expr {
	lits := len(p.exactLits)
	e := p.subexpr(0)
	p.checkExactLits(lits)
	return e
}

// binaryPriority gives the left and right priority of a binary operator
// token (lparser.c's priority table); 0 means "not a binary operator".
func binaryPriority(k int) (int, int) {
	switch k {
	case tkOr:
		return 1, 1
	case tkAnd:
		return 2, 2
	case '<', '>', tkLE, tkGE, tkNE, tkEq:
		return 3, 3
	case '|':
		return 4, 4
	case '~':
		return 5, 5
	case '&':
		return 6, 6
	case tkShl, tkShr:
		return 7, 7
	case tkConcat:
		return 9, 8
	case '+', '-':
		return 10, 10
	case '*', '/', tkIDiv, '%':
		return 11, 11
	case '^':
		return 14, 13
	}
	return 0, 0
}

const unaryPriority = 12

func (p *parser) subexpr(limit int) ast.Expr {
	p.enterLevel()
	defer func() { p.depth-- }()
	var e ast.Expr
	switch k := p.tok.kind; k {
	case tkNot, '-', '#', '~':
		p.next()
		operand := p.subexpr(unaryPriority)
		e = p.unary(k, operand)
	default:
		e = p.simpleexp()
	}
	for {
		op := p.tok.kind
		lp, rp := binaryPriority(op)
		if lp <= limit {
			return e
		}
		p.next()
		rhs := p.subexpr(rp)
		e = p.binary(op, e, rhs)
	}
}

func (p *parser) unary(k int, operand ast.Expr) ast.Expr {
	var e ast.Expr
	switch k {
	case tkNot:
		e = &ast.UnaryNotOpExpr{Expr: operand}
	case '-':
		e = &ast.UnaryMinusOpExpr{Expr: operand}
	case '#':
		e = &ast.UnaryLenOpExpr{Expr: operand}
	case '~':
		return p.lowerInt(iopBnot, operand, nil, operand.Line(), func() ast.Expr {
			return helperCall(bnotHelper, operand.Line(), operand)
		})
	}
	e.SetLine(operand.Line())
	return e
}

func (p *parser) binary(op int, lhs, rhs ast.Expr) ast.Expr {
	var e ast.Expr
	switch op {
	case tkOr:
		e = &ast.LogicalOpExpr{Operator: "or", Lhs: lhs, Rhs: rhs}
	case tkAnd:
		e = &ast.LogicalOpExpr{Operator: "and", Lhs: lhs, Rhs: rhs}
	case '<', '>', tkLE, tkGE, tkNE, tkEq:
		e = &ast.RelationalOpExpr{Operator: relOps[op], Lhs: lhs, Rhs: rhs}
	case tkConcat:
		if !p.native51Ops {
			return lowerConcat(lhs, rhs)
		}
		e = &ast.StringConcatOpExpr{Lhs: lhs, Rhs: rhs}
	case '%':
		if !p.native51Ops {
			return p.lowerInt(iopMod, lhs, rhs, lhs.Line(), func() ast.Expr { return p.lowerMod(lhs, rhs) })
		}
		e = &ast.ArithmeticOpExpr{Operator: "%", Lhs: lhs, Rhs: rhs}
	case '+', '-', '*', '/', '^':
		e = &ast.ArithmeticOpExpr{Operator: string(rune(op)), Lhs: lhs, Rhs: rhs}
	default:
		return p.lowerInt(intOperator(op), lhs, rhs, lhs.Line(), func() ast.Expr { return foldOrCall(op, lhs, rhs) })
	}
	e.SetLine(lhs.Line())
	return e
}

var relOps = map[int]string{'<': "<", '>': ">", tkLE: "<=", tkGE: ">=", tkNE: "~=", tkEq: "=="}

func (p *parser) simpleexp() ast.Expr {
	t := p.tok
	var e ast.Expr
	switch t.kind {
	case tkNumber:
		p.next()
		if x, ok := p.exactLiteral(t); ok {
			return x
		}
		return numberExpr(t.num, t.line)
	case tkString:
		p.next()
		e = &ast.StringExpr{Value: t.str}
	case tkNil:
		p.next()
		e = &ast.NilExpr{}
	case tkTrue:
		p.next()
		e = &ast.TrueExpr{}
	case tkFalse:
		p.next()
		e = &ast.FalseExpr{}
	case tkDots:
		if !p.fs.isVararg {
			p.errorNear("cannot use '...' outside a vararg function")
		}
		p.fs.varargUses++
		p.next()
		e = &ast.Comma3Expr{}
	case '{':
		return p.constructor()
	case tkFunction:
		p.next()
		fn := p.funcbody(false, t.line)
		fn.SetLine(t.line)
		return fn
	default:
		ex, _ := p.suffixedexp()
		if env, ok := ex.(*envExpr); ok {
			return p.materializeEnv(env)
		}
		return ex
	}
	e.SetLine(t.line)
	return e
}

// primaryexp returns the expression and whether it is a plain name (for
// assignment targets).
func (p *parser) primaryexp() (ast.Expr, bool) {
	switch p.tok.kind {
	case tkName:
		t := p.tok
		p.next()
		return p.singlevar(t.str, t.line), true
	case '(':
		line := p.tok.line
		p.next()
		e := p.subexpr(0) // checked by the enclosing expr
		p.checkMatch(')', '(', line)
		switch ex := e.(type) {
		case *ast.FuncCallExpr:
			ex.AdjustRet = true
		case *ast.Comma3Expr:
			ex.AdjustRet = true
			ex.SetLine(line)
		case *envExpr:
			e = p.materializeEnv(ex)
		default:
			e.SetLine(line)
		}
		return e, false
	}
	p.errorNear("unexpected symbol")
	return nil, false
}

// suffixedexp parses primaryexp { '.' NAME | '[' exp ']' | ':' NAME args | args }.
// The bool reports whether the result may be assigned to.
func (p *parser) suffixedexp() (ast.Expr, bool) {
	e, assignable := p.primaryexp()
	for {
		switch p.tok.kind {
		case '.':
			p.next()
			kt := p.checkName()
			if env, ok := e.(*envExpr); ok {
				e = p.globalName(kt.str, env.Line())
			} else {
				key := &ast.StringExpr{Value: kt.str}
				key.SetLine(kt.line)
				ag := &ast.AttrGetExpr{Object: e, Key: key}
				ag.SetLine(e.Line())
				e = ag
			}
			assignable = true
		case '[':
			p.next()
			k := p.expr()
			p.checkNext(']')
			if env, ok := e.(*envExpr); ok {
				if s, ok := k.(*ast.StringExpr); ok {
					e = p.globalName(s.Value, env.Line())
					assignable = true
					continue
				}
				e = p.materializeEnv(env)
			}
			ag := &ast.AttrGetExpr{Object: e, Key: k}
			ag.SetLine(e.Line())
			e = ag
			assignable = true
		case ':':
			p.next()
			mt := p.checkName()
			if env, ok := e.(*envExpr); ok {
				e = p.materializeEnv(env)
			}
			args := p.funcargs()
			call := &ast.FuncCallExpr{Receiver: e, Method: mt.str, Args: args}
			call.SetLine(e.Line())
			e = call
			assignable = false
		case '(', tkString, '{':
			if env, ok := e.(*envExpr); ok {
				e = p.materializeEnv(env)
			}
			args := p.funcargs()
			call := &ast.FuncCallExpr{Func: e, Args: args}
			call.SetLine(e.Line())
			e = call
			assignable = false
		default:
			// A bare free _ENV stays an envExpr: simpleexp turns it into a
			// value, checkAssignTarget rejects assignments to it.
			return e, assignable
		}
	}
}

func (p *parser) funcargs() []ast.Expr {
	switch p.tok.kind {
	case tkString:
		s := &ast.StringExpr{Value: p.tok.str}
		s.SetLine(p.tok.line)
		p.next()
		return []ast.Expr{s}
	case '{':
		return []ast.Expr{p.constructor()}
	case '(':
		line := p.tok.line
		p.next()
		if p.tok.kind == ')' {
			p.next()
			return []ast.Expr{}
		}
		args := p.exprlist()
		p.checkMatch(')', '(', line)
		return args
	}
	p.errorNear("function arguments expected")
	return nil
}

func (p *parser) constructor() ast.Expr {
	line := p.tok.line
	p.checkNext('{')
	fields := []*ast.Field{}
	for p.tok.kind != '}' {
		switch {
		case p.tok.kind == tkName && p.lookahead().kind == '=':
			nt := p.tok
			p.next()
			p.next()
			key := &ast.StringExpr{Value: nt.str}
			key.SetLine(nt.line)
			fields = append(fields, &ast.Field{Key: key, Value: p.expr()})
		case p.tok.kind == '[':
			p.next()
			k := p.expr()
			p.checkNext(']')
			p.checkNext('=')
			fields = append(fields, &ast.Field{Key: k, Value: p.expr()})
		default:
			fields = append(fields, &ast.Field{Value: p.expr()})
		}
		if !p.testNext(',') && !p.testNext(';') {
			break
		}
	}
	p.checkMatch('}', '{', line)
	t := &ast.TableExpr{Fields: fields}
	t.SetLine(line)
	return t
}

/* ---- names and _ENV ---- */

// envExpr stands for the global environment (a free "_ENV") while the
// parser decides how to lower it: "_ENV.x" becomes the global x, anything
// else a call of the env helper.
type envExpr struct {
	ast.ExprBase
}

// singlevar resolves a name. A free name inside the scope of a local _ENV
// becomes _ENV.name; a free "_ENV" is the function's environment.
func (p *parser) singlevar(name string, line int) ast.Expr {
	id := &ast.IdentExpr{Value: name}
	id.SetLine(line)
	p.noteUse(name)
	if p.envLocals == 0 && p.globalDecls == 0 && !p.anyAttrib && name != "_ENV" && name != "arg" {
		return id // gopher-lua resolves it as Lua would
	}
	if name == "_ENV" {
		if _, ok := p.findLocal(name); ok {
			return id
		}
		e := &envExpr{}
		e.SetLine(line)
		return e
	}
	local, ro := p.resolve(name)
	var e ast.Expr = id
	if !local {
		e = p.globalName(name, line)
	}
	if ro {
		if p.readOnly == nil {
			p.readOnly = map[ast.Expr]string{}
		}
		p.readOnly[e] = name
	}
	return e
}

// noteUse records a name for lowerAssign: in p.nameUses, and as captured
// when it is a local of an enclosing function.
func (p *parser) noteUse(name string) {
	if p.nameUses != nil {
		p.nameUses[name] = true
	}
	if p.fs.parent == nil {
		return // the main chunk's locals are captured by nobody yet
	}
	for fs := p.fs; fs != nil; fs = fs.parent {
		for i := len(fs.actvars) - 1; i >= 0; i-- {
			if fs.actvars[i].name == name {
				if fs != p.fs {
					fs.actvars[i].captured = true
				}
				return
			}
		}
	}
}

// globalName is the expression for global "name" in the current scope.
func (p *parser) globalName(name string, line int) ast.Expr {
	if p.envLocals > 0 {
		if _, ok := p.findLocal("_ENV"); ok {
			env := &ast.IdentExpr{Value: "_ENV"}
			env.SetLine(line)
			key := &ast.StringExpr{Value: name}
			key.SetLine(line)
			ag := &ast.AttrGetExpr{Object: env, Key: key}
			ag.SetLine(line)
			return ag
		}
	}
	if p.localVisible(name) || name == "arg" && p.hiddenArgVisible() {
		// gopher-lua would bind the plain name to a local: the visible
		// one (shadowed here by a global declaration, or this is
		// _ENV.name), or the 5.1 "arg" it declares in vararg functions.
		// Index the environment instead (rare: it costs a helper call).
		key := &ast.StringExpr{Value: name}
		key.SetLine(line)
		ag := &ast.AttrGetExpr{Object: helperCall(envHelper, line), Key: key}
		ag.SetLine(line)
		return ag
	}
	id := &ast.IdentExpr{Value: name}
	id.SetLine(line)
	return id
}

// hiddenArgVisible reports whether gopher-lua's compiler may have declared
// its Lua 5.1 local "arg" around the current point: in every vararg
// function but the main chunk, and in the functions <close> scopes are
// lowered to (which take the varargs of the function around them).
func (p *parser) hiddenArgVisible() bool {
	for fs := p.fs; fs != nil; fs = fs.parent {
		if fs.isVararg && fs.parent != nil {
			return true
		}
		for _, v := range fs.actvars {
			if v.attr == attrClose {
				return true
			}
		}
	}
	return false
}

func (p *parser) materializeEnv(e *envExpr) ast.Expr {
	return helperCall(envHelper, e.Line())
}

/* ---- numbers and helpers ---- */

// numberExpr builds a NumberExpr whose text gopher-lua's parseNumber reads
// back to exactly v.
func numberExpr(v float64, line int) ast.Expr {
	e := &ast.NumberExpr{Value: formatNumber(v)}
	e.SetLine(line)
	return e
}

func formatNumber(v float64) string {
	if v == float64(int64(v)) && v >= -1e15 && v <= 1e15 {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// constNumber returns the value of a numeric literal, possibly negated.
func constNumber(e ast.Expr) (float64, bool) {
	switch ex := e.(type) {
	case *ast.NumberExpr:
		v, err := strconv.ParseFloat(ex.Value, 64)
		if err != nil {
			return 0, false
		}
		return v, true
	case *ast.UnaryMinusOpExpr:
		if v, ok := constNumber(ex.Expr); ok {
			return -v, true
		}
	}
	return 0, false
}

func helperCall(name string, line int, args ...ast.Expr) *ast.FuncCallExpr {
	fn := &ast.IdentExpr{Value: name}
	fn.SetLine(line)
	if args == nil {
		args = []ast.Expr{}
	}
	call := &ast.FuncCallExpr{Func: fn, Args: args, AdjustRet: true}
	call.SetLine(line)
	return call
}

// foldOrCall lowers a 5.3+ binary operator: folded when both operands are
// numeric literals and the result is defined, else a call of its helper.
func foldOrCall(op int, lhs, rhs ast.Expr) ast.Expr {
	line := lhs.Line()
	a, aok := constNumber(lhs)
	b, bok := constNumber(rhs)
	if aok && bok {
		if op == tkIDiv {
			if r, err := floorDiv(a, b); err == nil {
				return numberExpr(r, line)
			}
		} else if x, ok := floatToInt(a); ok {
			if y, ok := floatToInt(b); ok {
				return numberExpr(float64(bitwise(op, x, y)), line)
			}
		}
	}
	name := ""
	switch op {
	case '&':
		name = bandHelper
	case '|':
		name = borHelper
	case '~':
		name = bxorHelper
	case tkShl:
		name = shlHelper
	case tkShr:
		name = shrHelper
	case tkIDiv:
		name = idivHelper
	default:
		panic(fmt.Sprintf("lua54: unexpected operator %d", op))
	}
	return helperCall(name, line, lhs, rhs)
}

// intOperator returns the integer expression code of a bitwise or //
// operator token.
func intOperator(op int) byte {
	switch op {
	case '&':
		return iopBand
	case '|':
		return iopBor
	case '~':
		return iopBxor
	case tkShl:
		return iopShl
	case tkShr:
		return iopShr
	case tkIDiv:
		return iopIDiv
	}
	panic(fmt.Sprintf("lua54: unexpected operator %d", op))
}

func bitwise(op int, x, y int64) int64 {
	switch op {
	case '&':
		return x & y
	case '|':
		return x | y
	case '~':
		return x ^ y
	case tkShl:
		return shiftLeft(x, y)
	default:
		return shiftLeft(x, -y)
	}
}
