package lua54

import (
	"strconv"
	"strings"

	"github.com/yuin/gopher-lua/ast"
)

// Integer expressions.
//
// gopher-lua computes + - * in float64, so "(h * 16777619) & 0xffffffff"
// rounds the product before the bitwise operator sees it, while Lua 5.4
// multiplies 64-bit integers exactly (wrapping). The lowering therefore
// turns the whole operand tree of a bitwise operator into one helper call
// that computes it in int64: the leaves (anything that is not + - * // %,
// unary minus, a bitwise operator or an integer literal) are the call's
// arguments, evaluated by the VM in source order, and the tree's shape is
// spelled in the helper's name, which the fixer links to a Go function
// built once per prototype (see intProgram).

// Operator codes of integer expression trees; they are also the bytes of
// the encoded program in a helper name.
const (
	iopLeaf  = 'a' // the next argument
	iopConst = '#' // '#' decimal ';'
	iopAdd   = '+'
	iopSub   = '-'
	iopMul   = '*'
	iopIDiv  = '/'
	iopMod   = '%'
	iopBand  = '&'
	iopBor   = '|'
	iopBxor  = '^'
	iopShl   = '<'
	iopShr   = '>'
	iopNeg   = 'n'
	iopBnot  = '!'
)

// intexprPrefix starts the helper names of integer expressions; the rest
// of the name is the tree in postorder.
const intexprPrefix = helperPrefix + "int:"

// inode is a node of an integer expression tree built by the parser.
type inode struct {
	op   byte
	k    int64           // iopConst
	lits []*exactIntExpr // inexact literals folded into this constant
	leaf ast.Expr        // iopLeaf
	l, r *inode
}

// exactIntExpr is an integer literal (or a folded integer constant) that
// float64 cannot hold exactly. It is valid only as part of an integer
// expression tree, which carries its int64 value in the helper name; the
// parser refuses it anywhere else (see checkExactLits).
type exactIntExpr struct {
	ast.ExprBase
	value int64
	text  string // the literal as written; "" for a folded constant
	used  bool
}

// exactLiteral returns the expression for a numeral token: an
// exactIntExpr for an integer literal float64 cannot hold exactly.
func (p *parser) exactLiteral(t token) (ast.Expr, bool) {
	n, isInt := integerNumeral(t.str)
	if !isInt || exactInFloat(n) {
		return nil, false
	}
	return p.newExactInt(n, t.str, t.line), true
}

func (p *parser) newExactInt(n int64, text string, line int) *exactIntExpr {
	x := &exactIntExpr{value: n, text: text}
	x.SetLine(line)
	p.exactLits = append(p.exactLits, x)
	return x
}

// checkExactLits refuses the inexact integer constants created since
// start that no integer expression took, and forgets those created since
// start.
func (p *parser) checkExactLits(start int) {
	for _, x := range p.exactLits[start:] {
		if x.used {
			continue
		}
		what := "integer literal " + x.text
		if x.text == "" {
			what = "integer constant " + strconv.FormatInt(x.value, 10)
		}
		p.lx.errorf(x.Line(), "", "%s cannot be represented exactly (numbers are float64 in golua-ws)", what)
	}
	p.exactLits = p.exactLits[:start]
}

// itree returns the integer expression tree of e: lowered integer
// expressions and + - * and unary minus nodes are taken apart, integer
// literals become constants, everything else is a leaf.
func (p *parser) itree(e ast.Expr) *inode {
	if t, ok := p.intTrees[e]; ok {
		return t
	}
	switch x := e.(type) {
	case *exactIntExpr:
		return &inode{op: iopConst, k: x.value, lits: []*exactIntExpr{x}}
	case *ast.NumberExpr:
		if v, ok := constNumber(x); ok {
			if i, ok := floatToInt(v); ok {
				return &inode{op: iopConst, k: i}
			}
		}
	case *ast.UnaryMinusOpExpr:
		return combine(iopNeg, p.itree(x.Expr), nil)
	case *ast.ArithmeticOpExpr:
		switch x.Operator {
		case "+", "-", "*":
			return combine(x.Operator[0], p.itree(x.Lhs), p.itree(x.Rhs))
		}
	}
	return &inode{op: iopLeaf, leaf: e}
}

// combine builds the node op(l, r), folding it when its operands are
// constants and the result is defined (no division by zero).
func combine(op byte, l, r *inode) *inode {
	if l.op == iopConst && (r == nil || r.op == iopConst) {
		var y int64
		lits := l.lits
		if r != nil {
			y = r.k
			lits = append(append([]*exactIntExpr(nil), l.lits...), r.lits...)
		}
		if v, err := intOp(op, l.k, y); err == nil {
			return &inode{op: iopConst, k: v, lits: lits}
		}
	}
	return &inode{op: op, l: l, r: r}
}

// plainOperand reports whether the old one-operator lowering can take n:
// a leaf or an exactly representable literal.
func plainOperand(n *inode) bool {
	return n.op == iopLeaf || n.op == iopConst && len(n.lits) == 0
}

// multiplies reports whether a tree has a node that can leave the exact
// float64 range from moderate operands: a product or a bitwise operator.
func multiplies(n *inode) bool {
	if n == nil {
		return false
	}
	switch n.op {
	case iopLeaf, iopConst:
		return false
	case iopMul, iopBand, iopBor, iopBxor, iopShl, iopShr, iopBnot:
		return true
	}
	return multiplies(n.l) || multiplies(n.r)
}

// lowerInt lowers a bitwise operator, // or % (op an iop code; rhs nil for
// unary ~). The operand trees are fused into one integer expression call
// unless the operator has only plain operands (then plain lowers it as
// before: a single helper call or opcode, which fusion would not make
// cheaper) or, for // and %, no operand multiplies. Constant trees fold
// exactly; a result float64 cannot hold rounds unless an enclosing
// integer expression takes it (rememberTree).
func (p *parser) lowerInt(op byte, lhs, rhs ast.Expr, line int, plain func() ast.Expr) ast.Expr {
	var r *inode
	if rhs != nil {
		r = p.itree(rhs)
	}
	t := combine(op, p.itree(lhs), r)
	if t.op == iopConst {
		markUsed(t)
		e := numberExpr(float64(t.k), line)
		if !exactInFloat(t.k) {
			// The constant rounds where it is used on its own, as the
			// same operation rounds at run time; an enclosing integer
			// expression takes the exact value from intTrees.
			p.rememberTree(e, t)
		}
		return e
	}
	simple := plainOperand(t.l) && (t.r == nil || plainOperand(t.r))
	fuse := !simple && (multiplies(t) || op != iopIDiv && op != iopMod || hasExactLits(t))
	if fuse && countLeaves(t) > maxIntLeaves && !hasExactLits(t) {
		fuse = false // too many registers for one call: as before, in float64
	}
	var e ast.Expr
	if fuse {
		var code strings.Builder
		var leaves []ast.Expr
		encodeTree(t, &code, &leaves)
		e = helperCall(intexprPrefix+code.String(), line, leaves...)
	} else {
		e = plain()
	}
	p.rememberTree(e, t)
	return e
}

// rememberTree records the integer tree e was lowered from, for itree.
func (p *parser) rememberTree(e ast.Expr, t *inode) {
	if p.intTrees == nil {
		p.intTrees = map[ast.Expr]*inode{}
	}
	p.intTrees[e] = t
}

// maxIntLeaves bounds the arguments of an integer expression call, which
// gopher-lua places in consecutive registers (200 per function).
const maxIntLeaves = 32

func countLeaves(n *inode) int {
	switch {
	case n == nil:
		return 0
	case n.op == iopLeaf:
		return 1
	}
	return countLeaves(n.l) + countLeaves(n.r)
}

func hasExactLits(n *inode) bool {
	if n == nil {
		return false
	}
	return len(n.lits) > 0 || hasExactLits(n.l) || hasExactLits(n.r)
}

func markUsed(n *inode) {
	for _, x := range n.lits {
		x.used = true
	}
}

// encodeTree writes t in postorder and collects its leaves in source
// order, marking the inexact literals it carries as used.
func encodeTree(t *inode, code *strings.Builder, leaves *[]ast.Expr) {
	switch t.op {
	case iopLeaf:
		code.WriteByte(iopLeaf)
		*leaves = append(*leaves, t.leaf)
		return
	case iopConst:
		markUsed(t)
		code.WriteByte(iopConst)
		code.WriteString(strconv.FormatInt(t.k, 10))
		code.WriteByte(';')
		return
	}
	encodeTree(t.l, code, leaves)
	if t.r != nil {
		encodeTree(t.r, code, leaves)
	}
	code.WriteByte(t.op)
}
