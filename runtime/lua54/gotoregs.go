package lua54

import (
	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/ast"
)

// gotoRegisters computes, for every marked goto of a lowered chunk, the
// number of registers holding locals at its target label, the way
// gopher-lua's compiler allocates them (one per local, three hidden ones
// per for loop, "self" for methods, "arg" for vararg functions when
// lua.CompatVarArg is set). fixGotos uses it as the OP_CLOSE operand.
func gotoRegisters(chunk []ast.Stmt, nmarks int) []int {
	w := &regWalker{regs: make([]int, nmarks)}
	for i := range w.regs {
		w.regs[i] = -1
	}
	w.function(chunk, 0)
	return w.regs
}

type labelScope struct {
	parent *labelScope
	labels map[string]int
}

type pendingGoto struct {
	mark  int
	label string
	scope *labelScope
}

type regWalker struct {
	regs    []int
	pending []pendingGoto
}

func (w *regWalker) function(stmts []ast.Stmt, nparams int) {
	saved := w.pending
	w.pending = nil
	w.block(stmts, nparams, nil, false)
	for _, g := range w.pending {
		for sc := g.scope; sc != nil; sc = sc.parent {
			if n, ok := sc.labels[g.label]; ok {
				w.regs[g.mark] = n
				break
			}
		}
	}
	w.pending = saved
}

func (w *regWalker) funcExpr(fe *ast.FunctionExpr, isMethod bool) {
	n := len(fe.ParList.Names)
	if isMethod {
		n++
	}
	if fe.ParList.HasVargs && lua.CompatVarArg {
		n++
	}
	w.function(fe.Stmts, n)
}

func (w *regWalker) block(stmts []ast.Stmt, base int, parent *labelScope, untilFollows bool) {
	sc := &labelScope{parent: parent}
	n := base
	for i, st := range stmts {
		switch s := st.(type) {
		case *ast.LocalAssignStmt:
			w.exprs(s.Exprs)
			n += len(s.Names)
		case *ast.AssignStmt:
			w.exprs(s.Lhs)
			w.exprs(s.Rhs)
		case *ast.FuncCallStmt:
			w.expr(s.Expr)
		case *ast.FuncDefStmt:
			if s.Name.Func != nil {
				w.expr(s.Name.Func)
			} else {
				w.expr(s.Name.Receiver)
			}
			w.funcExpr(s.Func, s.Name.Func == nil)
		case *ast.ReturnStmt:
			w.exprs(s.Exprs)
		case *ast.DoBlockStmt:
			w.block(s.Stmts, n, sc, false)
		case *ast.WhileStmt:
			w.expr(s.Condition)
			w.block(s.Stmts, n, sc, false)
		case *ast.RepeatStmt:
			w.block(s.Stmts, n, sc, true)
			w.expr(s.Condition)
		case *ast.IfStmt:
			w.expr(s.Condition)
			w.block(s.Then, n, sc, false)
			w.block(s.Else, n, sc, false)
		case *ast.NumberForStmt:
			w.expr(s.Init)
			w.expr(s.Limit)
			if s.Step != nil {
				w.expr(s.Step)
			}
			w.block(s.Stmts, n+4, sc, false)
		case *ast.GenericForStmt:
			w.exprs(s.Exprs)
			w.block(s.Stmts, n+3+len(s.Names), sc, false)
		case *ast.LabelStmt:
			if sc.labels == nil {
				sc.labels = map[string]int{}
			}
			last := !untilFollows
			for _, rest := range stmts[i+1:] {
				if _, ok := rest.(*ast.LabelStmt); !ok {
					last = false
					break
				}
			}
			if last {
				sc.labels[s.Name] = base
			} else {
				sc.labels[s.Name] = n
			}
		case *ast.GotoStmt:
			if m := -s.Line() - gotoMarkerBase - 1; m >= 0 && m < len(w.regs) {
				w.pending = append(w.pending, pendingGoto{mark: m, label: s.Label, scope: sc})
			}
		}
	}
}

func (w *regWalker) exprs(list []ast.Expr) {
	for _, e := range list {
		w.expr(e)
	}
}

// expr visits the function expressions inside e.
func (w *regWalker) expr(e ast.Expr) {
	switch x := e.(type) {
	case *ast.FunctionExpr:
		w.funcExpr(x, false)
	case *ast.AttrGetExpr:
		w.expr(x.Object)
		w.expr(x.Key)
	case *ast.TableExpr:
		for _, f := range x.Fields {
			if f.Key != nil {
				w.expr(f.Key)
			}
			w.expr(f.Value)
		}
	case *ast.FuncCallExpr:
		if x.Func != nil {
			w.expr(x.Func)
		}
		if x.Receiver != nil {
			w.expr(x.Receiver)
		}
		w.exprs(x.Args)
	case *ast.LogicalOpExpr:
		w.expr(x.Lhs)
		w.expr(x.Rhs)
	case *ast.RelationalOpExpr:
		w.expr(x.Lhs)
		w.expr(x.Rhs)
	case *ast.StringConcatOpExpr:
		w.expr(x.Lhs)
		w.expr(x.Rhs)
	case *ast.ArithmeticOpExpr:
		w.expr(x.Lhs)
		w.expr(x.Rhs)
	case *ast.UnaryMinusOpExpr:
		w.expr(x.Expr)
	case *ast.UnaryNotOpExpr:
		w.expr(x.Expr)
	case *ast.UnaryLenOpExpr:
		w.expr(x.Expr)
	}
}
