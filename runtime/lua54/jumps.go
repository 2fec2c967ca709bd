package lua54

import "github.com/yuin/gopher-lua/ast"

// gopher-lua's code generator threads jumps after compiling a function: a
// jump whose target instruction is itself a jump takes that jump's target
// instead, in one pass over the code in order. A jump that has already been
// rewritten holds a distance, not a label, but the pass reads it as a label
// when a later instruction's chain reaches it. A backward jump whose target
// is an earlier jump therefore lands somewhere unrelated: a generic for or
// while loop whose body starts with break skipped the code after the loop,
// ran an outer loop again, or never ended, and the jump after OP_TFORLOOP
// could become an OP_NOP whose stale operand the VM still jumps by.
//
// Backward jumps land on the first instruction of a loop body (the back
// edge of a generic for, a while true or a repeat) or on the instruction
// after a label (a backward goto). The parser keeps those instructions from
// being jumps: a loop body or a label followed by a statement that compiles
// to a jump first (break, or a do block starting with one) gets a no-op in
// front of it, "do local (jump guard) end", which compiles to one LOADNIL.
// A body that starts with break runs it on its first iteration, so the
// no-op runs at most once per entry into the loop.

// jumpGuardVar names the no-op's local; parentheses keep it apart from
// Lua identifiers.
const jumpGuardVar = "(jump guard)"

// startsWithJump reports whether st compiles to code whose first
// instruction may be an OP_JMP.
func startsWithJump(st ast.Stmt) bool {
	switch s := st.(type) {
	case *ast.BreakStmt:
		return true
	case *ast.DoBlockStmt:
		for _, inner := range s.Stmts {
			if _, ok := inner.(*ast.LabelStmt); ok {
				continue // emits no code
			}
			return startsWithJump(inner)
		}
	case *ast.IfStmt:
		// A condition gopher-lua decides at compile time emits no test:
		// the statement starts with its then part or with a jump over it.
		return constantTest(s.Condition)
	case *ast.WhileStmt:
		return constantTest(s.Condition)
	}
	return false
}

// constantTest reports whether gopher-lua may compile the condition e to
// no instruction before its first jump: a constant, or not/and/or whose
// first operand is one (conservatively: a guard too many costs one
// instruction).
func constantTest(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.TrueExpr, *ast.FalseExpr, *ast.NilExpr, *ast.NumberExpr, *ast.StringExpr:
		return true
	case *ast.UnaryNotOpExpr:
		return constantTest(x.Expr)
	case *ast.LogicalOpExpr:
		return constantTest(x.Lhs)
	}
	return false
}

// jumpGuard is the no-op put in front of a statement that starts with a
// jump.
func jumpGuard(line int) ast.Stmt {
	decl := &ast.LocalAssignStmt{Names: []string{jumpGuardVar}, Exprs: []ast.Expr{}}
	decl.SetLine(line)
	blk := &ast.DoBlockStmt{Stmts: []ast.Stmt{decl}}
	blk.SetLine(line)
	blk.SetLastLine(line)
	return blk
}

// guardLoopBody puts a jump guard at the start of a loop body whose first
// code would be a jump (labels emit no code, so they are skipped over).
func guardLoopBody(body []ast.Stmt) []ast.Stmt {
	for i, st := range body {
		if _, ok := st.(*ast.LabelStmt); ok {
			continue
		}
		if !startsWithJump(st) {
			return body
		}
		out := make([]ast.Stmt, 0, len(body)+1)
		out = append(out, body[:i]...)
		out = append(out, jumpGuard(st.Line()))
		return append(out, body[i:]...)
	}
	return body
}
