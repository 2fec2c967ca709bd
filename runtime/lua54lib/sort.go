package lua54lib

import (
	"math"

	lua "github.com/yuin/gopher-lua"
)

// tableSort is 5.4's table.sort(t [, comp]) with the algorithm of 5.4's
// ltablib.c (a quicksort with median-of-three pivots), so that elements
// comparing equal end up in the same order as in 5.4, errors read the same
// ("invalid order function for sorting", "attempt to compare two table
// values") and elements are read and written through __index/__newindex.
// 5.4 switches to a randomized pivot (from the clock) when a partition is
// badly unbalanced; this one takes a fixed pseudo-random pivot then.
func tableSort(L *lua.LState) int {
	const name = "table.sort"
	n := auxGetN(L, 1, name, tabRW)
	if n <= 1 {
		return 0
	}
	if n >= math.MaxInt32 {
		argError(L, 1, name, "array too big")
	}
	var comp *lua.LFunction
	if L.Get(2) != lua.LNil {
		f, ok := L.Get(2).(*lua.LFunction)
		if !ok {
			typeError(L, 2, name, "function")
		}
		comp = f
	}
	s := &sorter{L: L, t: L.Get(1), comp: comp}
	s.sort(1, n, 0)
	return 0
}

type sorter struct {
	L    *lua.LState
	t    lua.LValue
	comp *lua.LFunction
}

func (s *sorter) get(i int64) lua.LValue    { return geti(s.L, s.t, i) }
func (s *sorter) set(i int64, v lua.LValue) { seti(s.L, s.t, i, v) }

// less is sort_comp: comp(a, b), or a < b.
func (s *sorter) less(a, b lua.LValue) bool {
	if s.comp == nil {
		return lessThan(s.L, a, b)
	}
	s.L.Push(s.comp)
	s.L.Push(a)
	s.L.Push(b)
	s.L.Call(2, 1)
	r := s.L.Get(-1)
	s.L.Pop(1)
	return lua.LVAsBool(r)
}

// sortRandLimit is RANLIMIT: intervals at least this long may use a
// randomized pivot.
const sortRandLimit = 100

func (s *sorter) sort(lo, up int64, rnd uint64) {
	for lo < up {
		// order a[lo], a[p], a[up]
		alo, aup := s.get(lo), s.get(up)
		if s.less(aup, alo) {
			s.set(lo, aup)
			s.set(up, alo)
		}
		if up-lo == 1 {
			break
		}
		p := (lo + up) / 2
		if up-lo >= sortRandLimit && rnd != 0 {
			r4 := (up - lo) / 4
			p = int64(rnd%uint64(r4*2)) + lo + r4
		}
		ap, alo := s.get(p), s.get(lo)
		if s.less(ap, alo) {
			s.set(p, alo)
			s.set(lo, ap)
		} else {
			aup := s.get(up)
			if s.less(aup, ap) {
				s.set(p, aup)
				s.set(up, ap)
			}
		}
		if up-lo == 2 {
			break
		}
		pivot := s.get(p)
		s.set(p, s.get(up-1))
		s.set(up-1, pivot)
		p = s.partition(lo, up, pivot)
		var n int64
		if p-lo < up-p {
			s.sort(lo, p-1, rnd)
			n = p - lo
			lo = p + 1
		} else {
			s.sort(p+1, up, rnd)
			n = up - p
			up = p - 1
		}
		if (up-lo)/128 > n {
			rnd = uint64(up-lo)*2654435761 + uint64(n) // unbalanced: move the pivot
		}
	}
}

// partition arranges a[lo..up] around pivot (held in a[up-1]) and returns
// the pivot's final index.
func (s *sorter) partition(lo, up int64, pivot lua.LValue) int64 {
	i, j := lo, up-1
	for {
		i++
		ai := s.get(i)
		for s.less(ai, pivot) {
			if i == up-1 {
				raise(s.L, "invalid order function for sorting")
			}
			i++
			ai = s.get(i)
		}
		j--
		aj := s.get(j)
		for s.less(pivot, aj) {
			if j < i {
				raise(s.L, "invalid order function for sorting")
			}
			j--
			aj = s.get(j)
		}
		if j < i {
			s.set(up-1, ai)
			s.set(i, pivot)
			return i
		}
		s.set(i, aj)
		s.set(j, ai)
	}
}
