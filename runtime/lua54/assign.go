package lua54

import (
	"strconv"

	"github.com/yuin/gopher-lua/ast"
)

// assignVarPrefix starts the names of the hidden locals of lowerAssign; the
// parentheses keep them apart from Lua identifiers.
const assignVarPrefix = "(assign "

// maxAssignHidden bounds the locals lowerAssign adds to a function's
// registers (gopher-lua allows 200 in all): beyond it, the values go
// through one table instead (see lowerAssign).
const maxAssignHidden = 100

// lowerAssign gives a multiple assignment Lua 5.4's semantics where
// gopher-lua's compiler gets it wrong (gopher-lua issue #440), and returns
// every other statement unchanged.
//
// gopher-lua evaluates the right-hand expressions in order and stores the
// value of each one whose target is a local of the current function
// straight into that local's register, before the expressions after it are
// evaluated; it assigns the other targets right to left at the end. An
// early store is wrong when something evaluated later can see the local:
//
//   - a later right-hand expression names it, directly, in a call's
//     arguments, in a table constructor, or inside a function body
//     ("a, b = b, a" gives b its new value);
//   - the local is captured by a closure (one seen so far, or any when the
//     statement is in a loop or after a label, where a closure created
//     later may run before it) and a later right-hand expression may run
//     code: a call, an operator or an index (metamethods);
//   - an indexed target's table is the local itself ("a, a.x = {}, 1"):
//     gopher-lua indexes the local's register when it stores, not a copy;
//   - the local is a target twice ("a, a = 1, 2": 5.4 assigns right to
//     left, leaving 1; the early stores leave 2).
//
// The lowering computes the values into hidden locals before assigning
// those targets, right to left as 5.4 does. When every target is a name,
// the values up to the last such target go straight into hidden locals
// (see valuesFirst): "a, b = b, a" becomes
//
//	do local h = b; b = a; a = h end
//
// Otherwise each such target t is replaced by a hidden local h, assigned
// after the statement:
//
//	do local h1, h2; h1, t.x, h2 = explist; t2 = h2; t1 = h1 end
//
// The hidden locals are written early instead, which nobody reads; the
// other targets keep their early stores, and the indexed targets' tables
// and keys are still evaluated before the right-hand side. When the
// function already has many locals (more than maxAssignHidden with the
// hidden ones), the values go through a table instead, so as not to exceed
// gopher-lua's 200 registers (see throughTable).
//
// uses records, for each right-hand expression, the names singlevar
// resolved while parsing it (nested functions included).
func (p *parser) lowerAssign(st *ast.AssignStmt, uses []map[string]bool) ast.Stmt {
	lhs, rhs := st.Lhs, st.Rhs
	local := make([]int, len(lhs)) // index in p.fs.actvars, or -1
	count := map[string]int{}
	hasLocal := false
	for i, e := range lhs {
		local[i] = -1
		if id, ok := e.(*ast.IdentExpr); ok {
			if idx := p.currentLocal(id.Value); idx >= 0 {
				local[i] = idx
				count[id.Value]++
				hasLocal = true
			}
		}
	}
	if !hasLocal {
		return st // upvalues, globals and fields are assigned at the end
	}
	unsafe := make([]bool, len(lhs))
	nunsafe := 0
	loopy := p.inLoop() || len(p.fs.labels) > 0
	for i, e := range lhs {
		if local[i] < 0 {
			continue
		}
		name := e.(*ast.IdentExpr).Value
		bad := count[name] > 1 || indexesLocal(lhs, name)
		// The target is stored early unless its value comes from the
		// multi-value tail of the list (or is a nil filled in after
		// every expression was evaluated).
		early := i < len(rhs) && !(i == len(rhs)-1 && isMultiValue(rhs[i]))
		if early && !bad {
			captured := loopy || p.fs.actvars[local[i]].captured
			for j := i + 1; j < len(rhs) && !bad; j++ {
				bad = uses[j][name] || captured && p.mayRunCode(rhs[j])
			}
		}
		if bad {
			unsafe[i] = true
			nunsafe++
		}
	}
	if nunsafe == 0 {
		return st
	}
	line := st.Line()
	ident := func(name string) *ast.IdentExpr {
		id := &ast.IdentExpr{Value: name}
		id.SetLine(line)
		return id
	}
	do := &ast.DoBlockStmt{}
	do.SetLine(line)
	do.SetLastLine(line)
	room := maxAssignHidden - len(p.fs.actvars)
	if stmts := valuesFirst(lhs, rhs, unsafe, room, line, ident); stmts != nil {
		do.Stmts = stmts
		return do
	}
	if nunsafe > room {
		do.Stmts = throughTable(lhs, rhs, line, ident)
		return do
	}
	names := make([]string, 0, nunsafe)
	newLhs := make([]ast.Expr, len(lhs))
	copy(newLhs, lhs)
	var deferred []ast.Stmt
	for i := len(lhs) - 1; i >= 0; i-- {
		if !unsafe[i] {
			continue
		}
		h := assignVarPrefix + strconv.Itoa(i+1) + ")"
		names = append(names, h)
		newLhs[i] = ident(h)
		set := &ast.AssignStmt{Lhs: []ast.Expr{lhs[i]}, Rhs: []ast.Expr{ident(h)}}
		set.SetLine(line)
		deferred = append(deferred, set)
	}
	decl := &ast.LocalAssignStmt{Names: names, Exprs: []ast.Expr{}}
	decl.SetLine(line)
	main := &ast.AssignStmt{Lhs: newLhs, Rhs: rhs}
	main.SetLine(line)
	do.Stmts = append([]ast.Stmt{decl, main}, deferred...)
	return do
}

// valuesFirst lowers a multiple assignment whose targets are all names
// (no table or key to evaluate first) by computing the values up to the
// last unsafe target k into hidden locals, which needs no LOADNIL:
//
//	local h1, ..., hk = e1, ..., ek
//	t(k+1), ..., tn = e(k+1), ..., en   -- safe targets, if any
//	tk = hk; ...; t1 = h1
//
// ("a, b = b, a" is "local h = b; b = a; a = h"). It returns nil when the
// targets are not all names, when the rest would start past the values
// (the local statement would then have to spread a multi-value call), or
// when k exceeds room.
func valuesFirst(lhs, rhs []ast.Expr, unsafe []bool, room, line int, ident func(string) *ast.IdentExpr) []ast.Stmt {
	k := 0
	for i, e := range lhs {
		if _, ok := e.(*ast.IdentExpr); !ok {
			return nil
		}
		if unsafe[i] {
			k = i + 1
		}
	}
	n := len(lhs)
	if k > room || k < n && k >= len(rhs) {
		return nil
	}
	names := make([]string, k)
	for i := range names {
		names[i] = assignVarPrefix + strconv.Itoa(i+1) + ")"
	}
	values := rhs
	if k < n {
		values = rhs[:k]
	}
	decl := &ast.LocalAssignStmt{Names: names, Exprs: values}
	decl.SetLine(line)
	stmts := []ast.Stmt{decl}
	if k < n {
		rest := &ast.AssignStmt{Lhs: lhs[k:], Rhs: rhs[k:]}
		rest.SetLine(line)
		stmts = append(stmts, rest)
	}
	for i := k - 1; i >= 0; i-- {
		set := &ast.AssignStmt{Lhs: []ast.Expr{lhs[i]}, Rhs: []ast.Expr{ident(names[i])}}
		set.SetLine(line)
		stmts = append(stmts, set)
	}
	return stmts
}

// throughTable lowers a multiple assignment with the values in one hidden
// table, which costs an allocation but only two registers however many
// targets there are (gopher-lua stores a constructor's items in batches of
// 50):
//
//	local h = {o1, k1, ..., explist}   -- tables and keys of indexed targets first
//	tn = h[n]; ...; h[1][h[2]] = h[m]  -- right to left
func throughTable(lhs, rhs []ast.Expr, line int, ident func(string) *ast.IdentExpr) []ast.Stmt {
	h := assignVarPrefix + "values)"
	var fields []*ast.Field
	for _, e := range lhs {
		if g, ok := e.(*ast.AttrGetExpr); ok {
			fields = append(fields, &ast.Field{Value: g.Object}, &ast.Field{Value: g.Key})
		}
	}
	first := len(fields)
	for _, e := range rhs {
		fields = append(fields, &ast.Field{Value: e})
	}
	tbl := &ast.TableExpr{Fields: fields}
	tbl.SetLine(line)
	decl := &ast.LocalAssignStmt{Names: []string{h}, Exprs: []ast.Expr{tbl}}
	decl.SetLine(line)
	item := func(i int) ast.Expr {
		get := &ast.AttrGetExpr{Object: ident(h), Key: numLit(i+1, line)}
		get.SetLine(line)
		return get
	}
	stmts := []ast.Stmt{decl}
	obj := first
	for i := len(lhs) - 1; i >= 0; i-- {
		target := lhs[i]
		if _, ok := target.(*ast.AttrGetExpr); ok {
			obj -= 2
			g := &ast.AttrGetExpr{Object: item(obj), Key: item(obj + 1)}
			g.SetLine(target.Line())
			target = g
		}
		set := &ast.AssignStmt{Lhs: []ast.Expr{target}, Rhs: []ast.Expr{item(first + i)}}
		set.SetLine(line)
		stmts = append(stmts, set)
	}
	return stmts
}

// currentLocal returns the index in p.fs.actvars of the local of the
// current function that name refers to, or -1 (an upvalue, a global or a
// declared global).
func (p *parser) currentLocal(name string) int {
	vars := p.fs.actvars
	for i := len(vars) - 1; i >= 0; i-- {
		if vars[i].name == name {
			if vars[i].global {
				return -1
			}
			return i
		}
	}
	return -1
}

// indexesLocal reports whether some indexed target of lhs has the plain
// name as its table: gopher-lua stores into that register, not a copy.
// (Keys are copied before the right-hand side is evaluated.)
func indexesLocal(lhs []ast.Expr, name string) bool {
	for _, e := range lhs {
		if g, ok := e.(*ast.AttrGetExpr); ok {
			if id, ok := g.Object.(*ast.IdentExpr); ok && id.Value == name {
				return true
			}
		}
	}
	return false
}

// isMultiValue reports whether e yields all its values at the end of an
// expression list (a call or "..." not in parentheses).
func isMultiValue(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.FuncCallExpr:
		return !x.AdjustRet
	case *ast.Comma3Expr:
		return !x.AdjustRet
	}
	return false
}

// mayRunCode reports whether evaluating e, parsed in the current scope, may
// call a function: a call, or an operation that may invoke a metamethod,
// reading a global included (_G may have an __index).
func (p *parser) mayRunCode(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.NilExpr, *ast.TrueExpr, *ast.FalseExpr, *ast.NumberExpr, *ast.StringExpr,
		*ast.Comma3Expr, *ast.FunctionExpr:
		return false
	case *ast.IdentExpr:
		_, local := p.findLocal(x.Value)
		return !local
	case *ast.UnaryNotOpExpr:
		return p.mayRunCode(x.Expr)
	case *ast.LogicalOpExpr:
		return p.mayRunCode(x.Lhs) || p.mayRunCode(x.Rhs)
	case *ast.TableExpr:
		for _, f := range x.Fields {
			if f.Key != nil && p.mayRunCode(f.Key) || p.mayRunCode(f.Value) {
				return true
			}
		}
		return false
	}
	return true
}
