package lua54

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	lua "github.com/yuin/gopher-lua"
)

// errModByZero is integer modulo by zero.
var errModByZero = errors.New("attempt to perform 'n%0'")

// intInstr is one step of an integer expression program.
type intInstr struct {
	op byte
	k  int64
}

// intProgram evaluates an integer expression tree (see intexpr.go) whose
// leaves are the arguments of its call, with Lua 5.4's semantics.
type intProgram struct {
	code  []intInstr // postorder
	depth int        // stack slots needed
}

// parseIntProgram decodes the program spelled in an integer expression
// helper's name.
func parseIntProgram(s string) (*intProgram, error) {
	p := &intProgram{}
	sp := 0
	for i := 0; i < len(s); i++ {
		in := intInstr{op: s[i]}
		switch in.op {
		case iopLeaf:
			sp++
		case iopConst:
			j := i + 1
			for j < len(s) && s[j] != ';' {
				j++
			}
			k, err := strconv.ParseInt(s[i+1:j], 10, 64)
			if err != nil {
				return nil, fmt.Errorf("lua54: integer expression %q: %w", s, err)
			}
			in.k = k
			i = j
			sp++
		case iopNeg, iopBnot:
			if sp < 1 {
				return nil, fmt.Errorf("lua54: integer expression %q: missing operand", s)
			}
		case iopAdd, iopSub, iopMul, iopIDiv, iopMod, iopBand, iopBor, iopBxor, iopShl, iopShr:
			if sp < 2 {
				return nil, fmt.Errorf("lua54: integer expression %q: missing operand", s)
			}
			sp--
		default:
			return nil, fmt.Errorf("lua54: integer expression %q: bad operator %q", s, in.op)
		}
		p.depth = max(p.depth, sp)
		p.code = append(p.code, in)
	}
	if sp != 1 {
		return nil, fmt.Errorf("lua54: integer expression %q: %d results", s, sp)
	}
	return p, nil
}

// intOp applies an operator to integers as Lua 5.4 does: + - * and unary
// minus wrap modulo 2^64; // and % floor, with an error for a zero divisor.
func intOp(op byte, x, y int64) (int64, error) {
	switch op {
	case iopAdd:
		return x + y, nil
	case iopSub:
		return x - y, nil
	case iopMul:
		return x * y, nil
	case iopIDiv:
		return intFloorDiv(x, y)
	case iopMod:
		return intMod(x, y)
	case iopBand:
		return x & y, nil
	case iopBor:
		return x | y, nil
	case iopBxor:
		return x ^ y, nil
	case iopShl:
		return shiftLeft(x, y), nil
	case iopShr:
		return shiftLeft(x, -y), nil
	case iopNeg:
		return -x, nil
	case iopBnot:
		return ^x, nil
	}
	return 0, fmt.Errorf("lua54: bad integer operator %q", op)
}

// intFloorDiv is 5.4's integer "//".
func intFloorDiv(x, y int64) (int64, error) {
	switch y {
	case 0:
		return 0, errDivByZero
	case -1:
		return -x, nil // wraps for mininteger like Lua
	}
	q := x / y
	if x%y != 0 && (x < 0) != (y < 0) {
		q--
	}
	return q, nil
}

// intMod is 5.4's integer "%".
func intMod(x, y int64) (int64, error) {
	switch y {
	case 0:
		return 0, errModByZero
	case -1:
		return 0, nil
	}
	m := x % y
	if m != 0 && (m^y) < 0 {
		m += y
	}
	return m, nil
}

// call is the helper: it runs the program on integers when every leaf is
// an integer (the common case, without allocation), and otherwise
// evaluates node by node with 5.4's float arithmetic, string coercion,
// metamethods and errors (slow).
func (p *intProgram) call(L *lua.LState) int {
	var buf [16]int64
	st := buf[:0]
	if p.depth > len(buf) {
		st = make([]int64, 0, p.depth)
	}
	arg := 0
	for _, in := range p.code {
		switch in.op {
		case iopLeaf:
			arg++
			n, ok := L.Get(arg).(lua.LNumber)
			if !ok {
				return p.slow(L)
			}
			x, ok := floatToInt(float64(n))
			if !ok {
				return p.slow(L)
			}
			st = append(st, x)
		case iopConst:
			st = append(st, in.k)
		case iopNeg, iopBnot:
			top := len(st) - 1
			st[top], _ = intOp(in.op, st[top], 0)
		default:
			top := len(st) - 2
			r, err := intOp(in.op, st[top], st[top+1])
			if err != nil {
				L.RaiseError("%s", err.Error())
			}
			st[top] = r
			st = st[:top+1]
		}
	}
	L.Push(lua.LNumber(float64(st[0])))
	return 1
}

// ival is an operand value of the slow path: an integer (an integral
// float64 in int64 range, kept exact), another number, or any other value.
type ival struct {
	kind byte // ivInt, ivFloat, ivOther
	i    int64
	f    float64
	v    lua.LValue // ivOther
}

const (
	ivInt = iota
	ivFloat
	ivOther
)

func toIval(v lua.LValue) ival {
	if n, ok := v.(lua.LNumber); ok {
		return numIval(float64(n))
	}
	return ival{kind: ivOther, v: v}
}

func numIval(f float64) ival {
	if i, ok := floatToInt(f); ok {
		return ival{kind: ivInt, i: i}
	}
	return ival{kind: ivFloat, f: f}
}

func (x ival) value() lua.LValue {
	switch x.kind {
	case ivInt:
		return lua.LNumber(float64(x.i))
	case ivFloat:
		return lua.LNumber(x.f)
	}
	return x.v
}

func (x ival) float() float64 {
	if x.kind == ivInt {
		return float64(x.i)
	}
	return x.f
}

// arith converts an arithmetic operand: numbers, and strings that convert
// to numbers (5.4's string coercion).
func (x ival) arith() (ival, bool) {
	if x.kind != ivOther {
		return x, true
	}
	if f, ok := arithNumber(x.v); ok {
		return numIval(f), true
	}
	return x, false
}

// intEvent returns an operator's metamethod event and, for arithmetic,
// the name 5.4's string arithmetic uses in its errors ("attempt to add a
// 'string' with a 'table'"); bitwise operators have no name.
func intEvent(op byte) (event, name string) {
	switch op {
	case iopAdd:
		return "__add", "add"
	case iopSub:
		return "__sub", "sub"
	case iopMul:
		return "__mul", "mul"
	case iopIDiv:
		return "__idiv", "idiv"
	case iopMod:
		return "__mod", "mod"
	case iopNeg:
		return "__unm", "unm"
	case iopBand:
		return "__band", ""
	case iopBor:
		return "__bor", ""
	case iopBxor:
		return "__bxor", ""
	case iopShl:
		return "__shl", ""
	case iopShr:
		return "__shr", ""
	}
	return "__bnot", ""
}

// slow evaluates the program node by node in 5.4's order of operations.
func (p *intProgram) slow(L *lua.LState) int {
	var buf [8]ival
	st := buf[:0]
	if p.depth > len(buf) {
		st = make([]ival, 0, p.depth)
	}
	arg := 0
	for _, in := range p.code {
		switch in.op {
		case iopLeaf:
			arg++
			st = append(st, toIval(L.Get(arg)))
		case iopConst:
			st = append(st, ival{kind: ivInt, i: in.k})
		case iopNeg, iopBnot:
			top := len(st) - 1
			st[top] = intStep(L, in.op, st[top], st[top])
		default:
			top := len(st) - 2
			st[top] = intStep(L, in.op, st[top], st[top+1])
			st = st[:top+1]
		}
	}
	L.Push(st[0].value())
	return 1
}

// intStep applies one operator (unary ones get a == b).
func intStep(L *lua.LState, op byte, a, b ival) ival {
	event, name := intEvent(op)
	if name == "" { // bitwise: numbers with an integer value only
		if a.kind == ivInt && b.kind == ivInt {
			r, _ := intOp(op, a.i, b.i)
			return ival{kind: ivInt, i: r}
		}
	} else if x, ok := a.arith(); ok {
		if y, ok := b.arith(); ok {
			return arithStep(L, op, x, y)
		}
	}
	av, bv := a.value(), b.value()
	if !tryMetamethod(L, event, av, bv) {
		if name == "" {
			bitwiseError(L, av, bv)
		}
		arithError(L, name, av, bv)
	}
	r := toIval(L.Get(-1))
	L.Pop(1)
	return r
}

// arithStep is an arithmetic operator on two numbers: integer arithmetic
// when both are integers, else 5.4's float arithmetic.
func arithStep(L *lua.LState, op byte, x, y ival) ival {
	if x.kind == ivInt && y.kind == ivInt {
		r, err := intOp(op, x.i, y.i)
		if err != nil {
			L.RaiseError("%s", err.Error())
		}
		return ival{kind: ivInt, i: r}
	}
	a, b := x.float(), y.float()
	var r float64
	switch op {
	case iopAdd:
		r = a + b
	case iopSub:
		r = a - b
	case iopMul:
		r = a * b
	case iopNeg:
		r = -a
	case iopIDiv:
		r = math.Floor(a / b)
	case iopMod:
		r, _ = modulo(a, b) // a is not an integer: no error
	}
	return numIval(r)
}
