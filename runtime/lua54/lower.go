package lua54

import (
	"math"

	"github.com/yuin/gopher-lua/ast"
)

// Names of the runtime helpers in lowered code. They are global-variable
// references whose names no Lua identifier can spell (they start with a NUL
// byte); Compile rewrites every such OP_GETGLOBAL into an OP_LOADK of the
// helper function, so the globals are never looked up.
const (
	helperPrefix = "\x00lua54."
	bandHelper   = helperPrefix + "band"
	borHelper    = helperPrefix + "bor"
	bxorHelper   = helperPrefix + "bxor"
	shlHelper    = helperPrefix + "shl"
	shrHelper    = helperPrefix + "shr"
	bnotHelper   = helperPrefix + "bnot"
	idivHelper   = helperPrefix + "idiv"
	envHelper    = helperPrefix + "env"
	closeHelper  = helperPrefix + "close"
	unpackHelper = helperPrefix + "unpack"
	// defglobal(env, n, name1..namen, values...) initialises declared
	// globals (Lua 5.5's "global x = v" and "global function").
	defglobalHelper = helperPrefix + "defglobal"
	forprepHelper   = helperPrefix + "forprep"
	forendHelper    = helperPrefix + "forend"
	concatHelper    = helperPrefix + "concat"
	modHelper       = helperPrefix + "mod"
)

// Escape kinds returned by the body function of a to-be-closed scope; the
// code after the close helper dispatches on them.
const (
	escReturn = 1
	escBreak  = 2
	escGoto   = 3 // escGoto+i jumps to the i-th escaping label
)

// Hidden local names: parentheses keep them apart from Lua identifiers.
const (
	closeKindVar   = "(close kind)"
	closeValuesVar = "(close values)"
	forStartVar    = "(for start)"
	forStopVar     = "(for stop)"
	forStepVar     = "(for by)"
	forCutVar      = "(for cut)"
)

// Bounds of the numeric-for operands that need no forprep call: an integer
// start within ±maxPlainForStart and an integer step within
// ±maxPlainForStep (or none) cannot leave the exact range ±2^53 in fewer
// than 2^36 steps, and give no error 5.4 would raise at entry.
const (
	maxPlainForStart = 1 << 32
	maxPlainForStep  = 1 << 16
)

// lowerNumericFor wraps a numeric for whose start or step is not a small
// integer literal as
//
//	do
//	  local start, stop, by, cut = forprep(init, limit, step)
//	  for i = start, stop, by do ... end   -- each break: cut = nil; break
//	  if cut then forend(cut) end
//	end
//
// forprep runs once per entry: it checks the operands like Lua 5.4 and
// returns a limit at which gopher-lua's float64 loop ends after exactly
// the iterations 5.4 counts, or raises an error where float64 cannot count
// them (see forPrep). When it had to end the loop early, at the last value
// float64 counts exactly, cut is that value: a loop that gets there raises
// an error instead of ending quietly, while one that breaks out first
// clears cut.
func lowerNumericFor(s *ast.NumberForStmt, line int) ast.Stmt {
	if plainForOperand(s.Init, maxPlainForStart, true) && (s.Step == nil || plainForOperand(s.Step, maxPlainForStep, false)) {
		return s
	}
	step := s.Step
	if step == nil {
		step = numLit(1, line)
	}
	call := helperCall(forprepHelper, line, s.Init, s.Limit, step)
	call.AdjustRet = false
	decl := &ast.LocalAssignStmt{Names: []string{forStartVar, forStopVar, forStepVar, forCutVar}, Exprs: []ast.Expr{call}}
	decl.SetLine(line)
	ident := func(name string) ast.Expr {
		id := &ast.IdentExpr{Value: name}
		id.SetLine(line)
		return id
	}
	loop := *s
	loop.Init, loop.Limit, loop.Step = ident(forStartVar), ident(forStopVar), ident(forStepVar)
	loop.Stmts = clearCutOnBreak(s.Stmts, ident)
	end := s.LastLine()
	report := &ast.FuncCallStmt{Expr: helperCall(forendHelper, end, ident(forCutVar))}
	report.SetLine(end)
	check := &ast.IfStmt{Condition: ident(forCutVar), Then: []ast.Stmt{report}, Else: []ast.Stmt{}}
	check.SetLine(end)
	do := &ast.DoBlockStmt{Stmts: []ast.Stmt{decl, &loop, check}}
	do.SetLine(line)
	do.SetLastLine(end)
	return do
}

// clearCutOnBreak copies a loop body, turning each break of this loop (not
// of loops nested in it, nor in nested functions) into "cut = nil; break".
func clearCutOnBreak(stmts []ast.Stmt, ident func(string) ast.Expr) []ast.Stmt {
	var out []ast.Stmt
	for i, st := range stmts {
		n := st
		switch s := st.(type) {
		case *ast.BreakStmt:
			clear := &ast.AssignStmt{Lhs: []ast.Expr{ident(forCutVar)}, Rhs: []ast.Expr{&ast.NilExpr{}}}
			clear.SetLine(s.Line())
			d := &ast.DoBlockStmt{Stmts: []ast.Stmt{clear, s}}
			d.SetLine(s.Line())
			d.SetLastLine(s.Line())
			n = d
		case *ast.DoBlockStmt:
			c := *s
			c.Stmts = clearCutOnBreak(s.Stmts, ident)
			n = &c
		case *ast.IfStmt:
			c := *s
			c.Then = clearCutOnBreak(s.Then, ident)
			c.Else = clearCutOnBreak(s.Else, ident)
			n = &c
		}
		if n != st && out == nil {
			out = append(make([]ast.Stmt, 0, len(stmts)), stmts[:i]...)
		}
		if out != nil {
			out = append(out, n)
		}
	}
	if out == nil {
		return stmts
	}
	return out
}

// plainForOperand reports whether e is an integer literal within ±max
// (and, for a step, not zero).
func plainForOperand(e ast.Expr, max float64, zeroOK bool) bool {
	v, ok := constNumber(e)
	return ok && v == math.Trunc(v) && math.Abs(v) <= max && (zeroOK || v != 0)
}

// lowerCloses rewrites each "local x <close> = e; rest" of a statement
// list, innermost first, into
//
//	local x = e
//	local kind, values = close(x, "x", function(...) rest' end, ...)
//	if kind == 1 then return unpack(values) end   -- rest returned
//	if kind == 2 then break end                    -- rest broke out
//	if kind == 3 then goto L end                   -- rest jumped to L
//
// where rest' reports each exit out of the scope by returning its kind. The
// close helper calls the body under a protected call, calls __close(x, err)
// on every exit, and re-raises errors. Labels ending the list move after
// the dispatch so that gotos to them stay possible.
func (p *parser) lowerCloses(stmts []ast.Stmt, closes []closeMark, varargNow int) []ast.Stmt {
	for i := len(closes) - 1; i >= 0; i-- {
		cm := closes[i]
		head := stmts[:cm.index+1]
		rest := stmts[cm.index+1:]
		// Trailing labels stay outside the body.
		cut := len(rest)
		for cut > 0 {
			if _, ok := rest[cut-1].(*ast.LabelStmt); !ok {
				break
			}
			cut--
		}
		tail := append([]ast.Stmt(nil), rest[cut:]...)
		rest = rest[:cut]

		w := &escapeWalker{p: p}
		body := w.walk(rest, 0, nil)
		endLine := cm.line
		if len(rest) > 0 {
			endLine = lastLine(rest[len(rest)-1])
		}
		passVararg := p.fs.isVararg && varargNow > cm.varargUses
		fn := &ast.FunctionExpr{ParList: &ast.ParList{HasVargs: passVararg, Names: []string{}}, Stmts: body}
		fn.SetLine(cm.line)
		fn.SetLastLine(endLine)
		x := &ast.IdentExpr{Value: cm.name}
		x.SetLine(cm.line)
		name := &ast.StringExpr{Value: cm.name}
		name.SetLine(cm.line)
		args := []ast.Expr{x, name, fn}
		if passVararg {
			dots := &ast.Comma3Expr{}
			dots.SetLine(cm.line)
			args = append(args, dots)
		}
		call := helperCall(closeHelper, cm.line, args...)
		call.AdjustRet = false // kind and values

		out := append([]ast.Stmt{}, head...)
		if !w.returns && !w.breaks && len(w.labels) == 0 {
			st := &ast.FuncCallStmt{Expr: call}
			st.SetLine(cm.line)
			out = append(out, st)
		} else {
			decl := &ast.LocalAssignStmt{Names: []string{closeKindVar, closeValuesVar}, Exprs: []ast.Expr{call}}
			decl.SetLine(cm.line)
			out = append(out, decl)
			out = append(out, w.dispatch(endLine)...)
		}
		stmts = append(out, tail...)
	}
	return stmts
}

func lastLine(st ast.Stmt) int {
	if l := st.LastLine(); l > 0 {
		return l
	}
	if l := st.Line(); l > 0 {
		return l
	}
	return 0
}

// escapeWalker rewrites the exits of a to-be-closed scope's body.
type escapeWalker struct {
	p       *parser
	returns bool
	breaks  bool
	labels  []string // escaping goto targets, in order of first use
}

func numLit(v int, line int) ast.Expr {
	return numberExpr(float64(v), line)
}

func returnKind(kind int, line int, exprs ...ast.Expr) ast.Stmt {
	st := &ast.ReturnStmt{Exprs: append([]ast.Expr{numLit(kind, line)}, exprs...)}
	st.SetLine(line)
	return st
}

// walk copies stmts, replacing returns, breaks out of the scope (loopDepth
// 0) and gotos to labels not visible inside (not in scopes) by returns of
// their kind. It does not enter nested functions.
func (w *escapeWalker) walk(stmts []ast.Stmt, loopDepth int, scopes [][]ast.Stmt) []ast.Stmt {
	scopes = append(scopes, stmts)
	out := make([]ast.Stmt, 0, len(stmts))
	for _, st := range stmts {
		out = append(out, w.stmt(st, loopDepth, scopes))
	}
	return out
}

func (w *escapeWalker) stmt(st ast.Stmt, loopDepth int, scopes [][]ast.Stmt) ast.Stmt {
	switch s := st.(type) {
	case *ast.ReturnStmt:
		w.returns = true
		return returnKind(escReturn, s.Line(), s.Exprs...)
	case *ast.BreakStmt:
		if loopDepth > 0 {
			return s
		}
		w.breaks = true
		return returnKind(escBreak, s.Line())
	case *ast.GotoStmt:
		if labelVisible(s.Label, scopes) {
			return s
		}
		idx := -1
		for i, l := range w.labels {
			if l == s.Label {
				idx = i
			}
		}
		if idx < 0 {
			idx = len(w.labels)
			w.labels = append(w.labels, s.Label)
		}
		return returnKind(escGoto+idx, s.LastLine())
	case *ast.DoBlockStmt:
		n := *s
		n.Stmts = w.walk(s.Stmts, loopDepth, scopes)
		return &n
	case *ast.IfStmt:
		n := *s
		n.Then = w.walk(s.Then, loopDepth, scopes)
		n.Else = w.walk(s.Else, loopDepth, scopes)
		return &n
	case *ast.WhileStmt:
		n := *s
		n.Stmts = w.walk(s.Stmts, loopDepth+1, scopes)
		return &n
	case *ast.RepeatStmt:
		n := *s
		n.Stmts = w.walk(s.Stmts, loopDepth+1, scopes)
		return &n
	case *ast.NumberForStmt:
		n := *s
		n.Stmts = w.walk(s.Stmts, loopDepth+1, scopes)
		return &n
	case *ast.GenericForStmt:
		n := *s
		n.Stmts = w.walk(s.Stmts, loopDepth+1, scopes)
		return &n
	}
	return st
}

func labelVisible(name string, scopes [][]ast.Stmt) bool {
	for _, sc := range scopes {
		for _, st := range sc {
			if l, ok := st.(*ast.LabelStmt); ok && l.Name == name {
				return true
			}
		}
	}
	return false
}

// dispatch builds the code after the close helper that continues the exit
// the body took.
func (w *escapeWalker) dispatch(line int) []ast.Stmt {
	kindIs := func(k int) ast.Expr {
		id := &ast.IdentExpr{Value: closeKindVar}
		id.SetLine(line)
		e := &ast.RelationalOpExpr{Operator: "==", Lhs: id, Rhs: numLit(k, line)}
		e.SetLine(line)
		return e
	}
	var out []ast.Stmt
	add := func(k int, action ast.Stmt) {
		ifs := &ast.IfStmt{Condition: kindIs(k), Then: []ast.Stmt{action}, Else: []ast.Stmt{}}
		ifs.SetLine(line)
		out = append(out, ifs)
	}
	if w.returns {
		vals := &ast.IdentExpr{Value: closeValuesVar}
		vals.SetLine(line)
		call := helperCall(unpackHelper, line, vals)
		call.AdjustRet = false // all values
		ret := &ast.ReturnStmt{Exprs: []ast.Expr{call}}
		ret.SetLine(line)
		add(escReturn, ret)
	}
	if w.breaks {
		brk := &ast.BreakStmt{}
		brk.SetLine(line)
		add(escBreak, brk)
	}
	for i, l := range w.labels {
		add(escGoto+i, w.p.gotoStmt(l, line))
	}
	return out
}
