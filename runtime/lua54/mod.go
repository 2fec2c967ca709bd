package lua54

import (
	"math"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/ast"
)

// lowerMod lowers "lhs % rhs". gopher-lua's OP_MOD already computes Lua
// 5.4's float modulo (fmod, then the divisor added when the signs differ),
// which equals 5.4's integer modulo for integral operands; it differs only
// for a zero divisor, where 5.4's integer rule raises "attempt to perform
// 'n%0'" and OP_MOD gives nan. So the operator stays OP_MOD when the
// divisor is a non-zero numeric literal (i % 2, n % 256: the common case
// costs nothing), and becomes a call of the mod helper otherwise. When
// both operands are locals or literals, which can be read twice without
// side effects, the helper is called only for a zero divisor:
// "(b == 0 and mod(a, b) or a % b)" ("==" is true only for a numeric
// zero; the helper never returns false or nil).
func (p *parser) lowerMod(lhs, rhs ast.Expr) ast.Expr {
	if b, ok := constNumber(rhs); ok && b != 0 && !math.IsNaN(b) {
		e := &ast.ArithmeticOpExpr{Operator: "%", Lhs: lhs, Rhs: rhs}
		e.SetLine(lhs.Line())
		return e
	}
	if a, ok := constNumber(lhs); ok {
		if b, ok := constNumber(rhs); ok {
			if r, ok := modulo(a, b); ok {
				return numberExpr(r, lhs.Line())
			}
		}
	}
	line := lhs.Line()
	call := helperCall(modHelper, line, lhs, rhs)
	if !p.pureOperand(lhs) || !p.pureOperand(rhs) {
		return call
	}
	zero := &ast.RelationalOpExpr{Operator: "==", Lhs: rhs, Rhs: numberExpr(0, line)}
	zero.SetLine(line)
	and := &ast.LogicalOpExpr{Operator: "and", Lhs: zero, Rhs: call}
	and.SetLine(line)
	native := &ast.ArithmeticOpExpr{Operator: "%", Lhs: lhs, Rhs: rhs}
	native.SetLine(line)
	or := &ast.LogicalOpExpr{Operator: "or", Lhs: and, Rhs: native}
	or.SetLine(line)
	return or
}

// pureOperand reports whether e can be evaluated twice with the same
// result and no effect: a numeric literal or a local variable (of this
// function or an enclosing one).
func (p *parser) pureOperand(e ast.Expr) bool {
	if _, ok := constNumber(e); ok {
		return true
	}
	id, ok := e.(*ast.IdentExpr)
	if !ok {
		return false
	}
	_, local := p.findLocal(id.Value)
	return local
}

// modulo is Lua 5.4's "%" on two numbers: fmod, then the divisor added
// when the remainder's sign differs from it. Integer operands (integral
// float64 values, see IsInteger) with a zero divisor are 5.4's integer
// error (ok false); a non-integral dividend makes it 5.4's float modulo,
// where a zero divisor gives nan.
func modulo(a, b float64) (r float64, ok bool) {
	if b == 0 {
		if _, isInt := floatToInt(a); isInt {
			return 0, false
		}
	}
	m := math.Mod(a, b)
	if b > 0 && m < 0 || b < 0 && m > 0 {
		m += b
	}
	return m, true
}

func mod(L *lua.LState) int {
	a, b := L.Get(1), L.Get(2)
	if x, ok := arithNumber(a); ok {
		if y, ok := arithNumber(b); ok {
			r, ok := modulo(x, y)
			if !ok {
				L.RaiseError("%s", errModByZero.Error())
			}
			L.Push(lua.LNumber(r))
			return 1
		}
	}
	if !tryMetamethod(L, "__mod", a, b) {
		arithError(L, "mod", a, b)
	}
	return 1
}
