package lua54lib

import (
	"time"

	"github.com/golua-ws/golua-ws/runtime/lua54"
	lua "github.com/yuin/gopher-lua"
)

// Lua 5.4's table.sort: a quicksort over t[1..#t] that reads and writes the
// elements through metamethods, uses #t with __len (gopher-lua sorts its
// internal array part instead, nils of a shrunk table included), and
// detects a comparator that is not a strict order with "invalid order
// function for sorting". The algorithm is the one Lua's manual and ltablib
// describe: median of three, pivot parked at up-1, a partition whose scans
// would run off the range only when the order is inconsistent, recursion
// into the smaller half, and a randomized pivot once partitions get
// unbalanced on big ranges.

// sortRandomLimit is the size from which a randomized pivot may be used.
const sortRandomLimit = 100

// sortMaxLen is Lua's INT_MAX bound on the length of a sortable array.
const sortMaxLen = 1<<31 - 1

// sorter holds one table.sort call's state.
type sorter struct {
	L   *lua.LState
	t   lua.LValue
	cmp lua.LValue // nil for the default '<'
}

func tableSort(L *lua.LState) int {
	const name = "table.sort"
	n := auxGetN(L, 1, name, tabRW)
	if n > 1 {
		if n >= sortMaxLen {
			argError(L, 1, name, "array too big")
		}
		s := sorter{L: L, t: L.Get(1)}
		if v := L.Get(2); v != lua.LNil {
			if v.Type() != lua.LTFunction {
				typeError(L, 2, name, "function")
			}
			s.cmp = v
		}
		s.sort(1, n, 0)
	}
	return 0
}

func (s *sorter) get(i int64) lua.LValue    { return geti(s.L, s.t, i) }
func (s *sorter) set(i int64, v lua.LValue) { seti(s.L, s.t, i, v) }

// less is sort_comp: the comparator's truth value, or a < b.
func (s *sorter) less(a, b lua.LValue) bool {
	if s.cmp == nil {
		return lessThan(s.L, a, b)
	}
	L := s.L
	L.Push(s.cmp)
	L.Push(a)
	L.Push(b)
	L.Call(2, 1)
	r := L.Get(-1)
	L.Pop(1)
	return lua.LVAsBool(r)
}

// badOrder raises the error Lua gives when the partition scans prove that
// the comparator is not a consistent order.
func (s *sorter) badOrder() {
	raise(s.L, "invalid order function for sorting")
}

// sort orders t[lo..up]; rnd != 0 selects randomized pivots.
func (s *sorter) sort(lo, up int64, rnd uint64) {
	for lo < up {
		// Order the two ends.
		a, b := s.get(lo), s.get(up)
		if s.less(b, a) {
			s.set(lo, b)
			s.set(up, a)
		}
		if up-lo == 1 {
			return
		}
		var p int64
		if up-lo < sortRandomLimit || rnd == 0 {
			p = lo + (up-lo)/2
		} else {
			// A pivot within the middle half, picked by rnd.
			q := (up - lo) / 4
			p = int64(rnd%uint64(q*2)) + lo + q
		}
		// Median of a[lo], a[p], a[up] lands at p.
		vp, vlo := s.get(p), s.get(lo)
		if s.less(vp, vlo) {
			s.set(p, vlo)
			s.set(lo, vp)
		} else {
			vup := s.get(up)
			if s.less(vup, vp) {
				s.set(p, vup)
				s.set(up, vp)
			}
		}
		if up-lo == 2 {
			return
		}
		pivot := s.get(p)
		// Park the pivot at up-1: a[lo] <= P <= a[up] bound the scans.
		s.set(p, s.get(up-1))
		s.set(up-1, pivot)
		p = s.partition(lo, up, pivot)
		// Recurse into the smaller side, loop on the bigger one.
		var small int64
		if p-lo < up-p {
			s.sort(lo, p-1, rnd)
			small = p - lo
			lo = p + 1
		} else {
			s.sort(p+1, up, rnd)
			small = up - p
			up = p - 1
		}
		if (up-lo)/128 > small {
			// Badly unbalanced: switch to randomized pivots.
			rnd = uint64(time.Now().UnixNano())
		}
	}
}

// partition splits t[lo..up] around pivot (stored at up-1) and returns the
// pivot's final index. With a consistent order the scans stop at the
// sentinels a[lo] <= P and a[up-1] == P; passing them means the comparator
// contradicts itself.
func (s *sorter) partition(lo, up int64, pivot lua.LValue) int64 {
	i, j := lo, up-1
	for {
		var ai, aj lua.LValue
		for {
			i++
			ai = s.get(i)
			if !s.less(ai, pivot) {
				break
			}
			if i == up-1 {
				s.badOrder()
			}
		}
		for {
			j--
			aj = s.get(j)
			if !s.less(pivot, aj) {
				break
			}
			if j < i {
				s.badOrder()
			}
		}
		if j < i {
			// Put the pivot in its place.
			s.set(up-1, ai)
			s.set(i, pivot)
			return i
		}
		s.set(i, aj)
		s.set(j, ai)
	}
}

// lessThan is Lua 5.4's a < b: numbers, strings, else an __lt metamethod
// of either operand (whatever their types). gopher-lua's LState.LessThan is
// not used because it rejects operands of different types before looking
// for __lt, and positions its error at the Lua caller where 5.4, raising
// from inside table.sort, adds no position.
func lessThan(L *lua.LState, a, b lua.LValue) bool {
	switch x := a.(type) {
	case lua.LNumber:
		if y, ok := b.(lua.LNumber); ok {
			return x < y
		}
	case lua.LString:
		if y, ok := b.(lua.LString); ok {
			return x < y
		}
	}
	mm := L.GetMetaField(a, "__lt")
	if mm == lua.LNil {
		mm = L.GetMetaField(b, "__lt")
	}
	if mm == lua.LNil {
		t1, t2 := lua54.ObjTypeName(L, a), lua54.ObjTypeName(L, b)
		if t1 == t2 {
			L.Error(lua.LString("attempt to compare two "+t1+" values"), 0)
		}
		L.Error(lua.LString("attempt to compare "+t1+" with "+t2), 0)
	}
	L.Push(mm)
	L.Push(a)
	L.Push(b)
	L.Call(2, 1)
	r := L.Get(-1)
	L.Pop(1)
	return lua.LVAsBool(r)
}
