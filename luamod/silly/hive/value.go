package hive

import lua "github.com/yuin/gopher-lua"

// maxCopyDepth is how deep copies go into nested tables; silly stops at the
// same depth.
const maxCopyDepth = 100

// copied is a Lua value detached from any VM: nil, bool, lua.LNumber,
// string or *copiedTable. It is built while holding one VM's token and read
// while holding another's, so the two VMs never share an LValue.
type copied any

type copiedTable struct {
	keys, values []copied
}

// copyOut detaches v from its VM. Functions, userdata and threads become
// nil, as in silly; so does a table met again inside itself (silly copies
// a cycle until its depth limit).
func copyOut(v lua.LValue) copied {
	return copyOutDepth(v, 0, map[*lua.LTable]bool{})
}

func copyOutDepth(v lua.LValue, depth int, path map[*lua.LTable]bool) copied {
	switch v := v.(type) {
	case lua.LBool:
		return bool(v)
	case lua.LNumber:
		return v
	case lua.LString:
		return string(v)
	case *lua.LTable:
		if depth >= maxCopyDepth || path[v] {
			return nil
		}
		path[v] = true
		t := &copiedTable{}
		v.ForEach(func(k, val lua.LValue) {
			ck := copyOutDepth(k, depth+1, path)
			if ck == nil {
				return // a key that does not cross cannot be stored
			}
			t.keys = append(t.keys, ck)
			t.values = append(t.values, copyOutDepth(val, depth+1, path))
		})
		delete(path, v)
		return t
	}
	return nil
}

// copyIn makes c a value of the VM that L belongs to. Token of that VM
// required.
func copyIn(L *lua.LState, c copied) lua.LValue {
	switch c := c.(type) {
	case bool:
		return lua.LBool(c)
	case lua.LNumber:
		return c
	case string:
		return lua.LString(c)
	case *copiedTable:
		t := L.CreateTable(0, len(c.keys))
		for i, k := range c.keys {
			t.RawSet(copyIn(L, k), copyIn(L, c.values[i]))
		}
		return t
	}
	return lua.LNil
}

// copyStack detaches L's stack slots from first to the top.
func copyStack(L *lua.LState, first int) []copied {
	top := L.GetTop()
	if top < first {
		return nil
	}
	out := make([]copied, 0, top-first+1)
	for i := first; i <= top; i++ {
		out = append(out, copyOut(L.Get(i)))
	}
	return out
}
