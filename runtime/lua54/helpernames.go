package lua54

import (
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// helperDisplayName is what tracebacks and argument errors show for a
// helper's frame instead of its NUL-prefixed global name. gopher-lua names
// a Go function's frame after the call site's DbgCalls entry; a name in
// angle brackets prints as "in function <operator //>".
func helperDisplayName(name string) string {
	switch name {
	case bandHelper:
		return "<operator &>"
	case borHelper:
		return "<operator |>"
	case bxorHelper, bnotHelper:
		return "<operator ~>"
	case shlHelper:
		return "<operator <<>"
	case shrHelper:
		return "<operator >>>"
	case idivHelper:
		return "<operator //>"
	case modHelper:
		return "<operator %>"
	case concatHelper:
		return "<operator ..>"
	case envHelper:
		return "<_ENV>"
	case closeHelper, unpackHelper:
		return "<to-be-closed scope>"
	}
	if code, ok := strings.CutPrefix(name, intexprPrefix); ok && code != "" {
		// The operator applied last, at the root of the tree.
		switch code[len(code)-1] {
		case iopBand:
			return "<operator &>"
		case iopBor:
			return "<operator |>"
		case iopBxor, iopBnot:
			return "<operator ~>"
		case iopShl:
			return "<operator <<>"
		case iopShr:
			return "<operator >>>"
		case iopIDiv:
			return "<operator //>"
		case iopMod:
			return "<operator %>"
		}
	}
	return "<" + strings.TrimPrefix(name, helperPrefix) + ">"
}

// nameHelperCalls renames the DbgCalls entries of helper calls so that no
// traceback or error message shows a NUL byte.
func nameHelperCalls(proto *lua.FunctionProto) {
	for i, c := range proto.DbgCalls {
		if !strings.HasPrefix(c.Name, helperPrefix) {
			continue
		}
		proto.DbgCalls[i].Name = helperDisplayName(c.Name)
	}
}
