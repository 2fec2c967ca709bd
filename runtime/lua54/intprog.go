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
				return p.numeric(L)
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

// numeric evaluates the program when its leaves are numbers, some not
// integers: 5.4's float arithmetic where an operand is not an integer.
// Anything else (a leaf that is not a number, a bitwise operator on a
// non-integer) goes to slow, which starts over: nothing here has an effect
// before it, as integer division by zero raises in both at the same point.
func (p *intProgram) numeric(L *lua.LState) int {
	var buf [16]number // no pointers: no write barriers
	st := buf[:0]
	if p.depth > len(buf) {
		st = make([]number, 0, p.depth)
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
			st = append(st, numberOf(float64(n)))
		case iopConst:
			st = append(st, number{i: in.k, isInt: true})
		default:
			top := len(st) - 1
			a, b := st[top], st[top]
			if in.op != iopNeg && in.op != iopBnot {
				top--
				a = st[top]
			}
			if _, name := intEvent(in.op); name == "" {
				if !a.isInt || !b.isInt {
					return p.slow(L)
				}
				r, _ := intOp(in.op, a.i, b.i)
				st[top] = number{i: r, isInt: true}
			} else {
				st[top] = arithStep(L, in.op, a, b)
			}
			st = st[:top+1]
		}
	}
	L.Push(st[0].value())
	return 1
}

// number is a number operand: an integer (an integral float64 in int64
// range, kept exact) or another float.
type number struct {
	i     int64
	f     float64
	isInt bool
}

func numberOf(f float64) number {
	if i, ok := floatToInt(f); ok {
		return number{i: i, isInt: true}
	}
	return number{f: f}
}

func (x number) value() lua.LValue {
	if x.isInt {
		return lua.LNumber(float64(x.i))
	}
	return lua.LNumber(x.f)
}

func (x number) float() float64 {
	if x.isInt {
		return float64(x.i)
	}
	return x.f
}

// ival is an operand of the slow path: a number, or any other value v.
type ival struct {
	n number
	v lua.LValue // nil for a number
}

func toIval(v lua.LValue) ival {
	if n, ok := v.(lua.LNumber); ok {
		return ival{n: numberOf(float64(n))}
	}
	return ival{v: v}
}

func (x ival) value() lua.LValue {
	if x.v == nil {
		return x.n.value()
	}
	return x.v
}

// arith converts an arithmetic operand: numbers, and strings that convert
// to numbers (5.4's string coercion).
func (x ival) arith() (number, bool) {
	if x.v == nil {
		return x.n, true
	}
	if f, ok := arithNumber(x.v); ok {
		return numberOf(f), true
	}
	return number{}, false
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

// slow evaluates the program node by node in 5.4's order of operations,
// with string coercion, metamethods and 5.4's errors.
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
			st = append(st, ival{n: number{i: in.k, isInt: true}})
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
		if a.v == nil && b.v == nil && a.n.isInt && b.n.isInt {
			r, _ := intOp(op, a.n.i, b.n.i)
			return ival{n: number{i: r, isInt: true}}
		}
	} else if x, ok := a.arith(); ok {
		if y, ok := b.arith(); ok {
			return ival{n: arithStep(L, op, x, y)}
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
func arithStep(L *lua.LState, op byte, x, y number) number {
	if x.isInt && y.isInt {
		r, err := intOp(op, x.i, y.i)
		if err != nil {
			L.RaiseError("%s", err.Error())
		}
		return number{i: r, isInt: true}
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
	return numberOf(r)
}
