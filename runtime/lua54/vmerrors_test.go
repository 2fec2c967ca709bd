package lua54

import (
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// TestTranslateVMError checks the table of gopher-lua messages against the
// texts lua5.4 prints for the same operations (obtained by running them).
func TestTranslateVMError(t *testing.T) {
	num := operand{raw: "number", name: "number"}
	str := operand{raw: "string", name: "string"}
	tbl := operand{raw: "table", name: "table"}
	pt := operand{raw: "table", name: "Pt"}
	nilv := operand{raw: "nil", name: "nil"}
	fn := operand{raw: "function", name: "function"}
	tests := []struct {
		msg  string
		op   int
		ops  []operand
		want string // "" when msg stays as is
	}{
		{"a.lua:3: cannot perform add operation between table and number", lua.OP_ADD, []operand{tbl, num},
			"a.lua:3: attempt to perform arithmetic on a table value"},
		{"a.lua:3: cannot perform add operation between number and table", lua.OP_ADD, []operand{num, tbl},
			"a.lua:3: attempt to perform arithmetic on a table value"},
		{"a.lua:3: cannot perform mul operation between number and boolean", -1, nil,
			"a.lua:3: attempt to perform arithmetic on a boolean value"},
		{"a.lua:3: cannot perform sub operation between nil and table", lua.OP_SUB, []operand{nilv, tbl},
			"a.lua:3: attempt to perform arithmetic on a nil value"},
		{"a.lua:3: cannot perform add operation between table and number", lua.OP_ADD, []operand{pt, num},
			"a.lua:3: attempt to perform arithmetic on a Pt value"},
		// Strings: the string library's message, with the original types
		// ("10" + {} shows as number and table in gopher-lua's text).
		{"a.lua:6: cannot perform add operation between string and number", lua.OP_ADD, []operand{str, num},
			"a.lua:6: attempt to add a 'string' with a 'number'"},
		{"a.lua:6: cannot perform add operation between number and table", lua.OP_ADD, []operand{str, tbl},
			"a.lua:6: attempt to add a 'string' with a 'table'"},
		{"a.lua:6: cannot perform pow operation between table and string", -1, nil,
			"a.lua:6: attempt to pow a 'table' with a 'string'"},
		// Operands that do not fit the message are not used.
		{"a.lua:6: cannot perform add operation between number and table", lua.OP_ADD, []operand{tbl, tbl},
			"a.lua:6: attempt to perform arithmetic on a table value"},
		{"a.lua:6: cannot perform add operation between number and table", lua.OP_CALL, []operand{str, tbl},
			"a.lua:6: attempt to perform arithmetic on a table value"},
		{"a.lua:1: __unm undefined", lua.OP_UNM, []operand{tbl}, "a.lua:1: attempt to perform arithmetic on a table value"},
		{"a.lua:1: __unm undefined", lua.OP_UNM, []operand{str}, "a.lua:1: attempt to unm a 'string' with a 'string'"},
		{"a.lua:1: __unm undefined", -1, nil, ""},
		{"a.lua:1: __len undefined", lua.OP_LEN, []operand{num}, "a.lua:1: attempt to get length of a number value"},
		{"a.lua:1: __len undefined", lua.OP_LEN, []operand{tbl}, ""},
		{"a.lua:1: attempt to call a non-function object", lua.OP_CALL, []operand{nilv}, "a.lua:1: attempt to call a nil value"},
		{"a.lua:1: attempt to call a non-function object", lua.OP_TAILCALL, []operand{pt}, "a.lua:1: attempt to call a Pt value"},
		{"a.lua:1: attempt to call a non-function object", lua.OP_TFORLOOP, []operand{num},
			"a.lua:1: attempt to call a number value (for iterator 'for iterator')"},
		{"a.lua:1: attempt to call a non-function object", lua.OP_CALL, []operand{fn}, ""},
		{"a.lua:1: attempt to call a non-function object", -1, nil, ""},
		{"a.lua:2: attempt to index a non-table object(nil) with key 'y'", -1, nil, "a.lua:2: attempt to index a nil value"},
		{"a.lua:2: attempt to index a non-table object(number) with key 'a' with key 'b'", -1, nil,
			"a.lua:2: attempt to index a number value"},
		{"a.lua:2: attempt to compare table with table", lua.OP_LT, []operand{tbl, tbl}, "a.lua:2: attempt to compare two table values"},
		{"a.lua:2: attempt to compare table with table", lua.OP_LE, []operand{pt, pt}, "a.lua:2: attempt to compare two Pt values"},
		{"a.lua:2: attempt to compare table with table", -1, nil, "a.lua:2: attempt to compare two table values"},
		{"a.lua:2: attempt to compare number with nil", lua.OP_LT, []operand{num, nilv}, "a.lua:2: attempt to compare number with nil"},
		{"a.lua:2: attempt to compare table with number", lua.OP_LT, []operand{pt, num}, "a.lua:2: attempt to compare Pt with number"},
		{"a.lua:4: for statement limit must be a number", lua.OP_FORLOOP, []operand{num, tbl, num},
			"a.lua:4: bad 'for' limit (number expected, got table)"},
		{"a.lua:4: for statement init must be a number", lua.OP_FORPREP, []operand{nilv, num, num},
			"a.lua:4: bad 'for' initial value (number expected, got nil)"},
		{"a.lua:4: for statement step must be a number", lua.OP_FORPREP, []operand{num, num, str},
			"a.lua:4: bad 'for' step (number expected, got string)"},
		{"a.lua:4: for statement step must be a number", -1, nil, ""},
		{"a.lua:2: attempt to index a non-table object(nil) with key 'cannot perform add operation between table and number'", -1, nil,
			"a.lua:2: attempt to index a nil value"},
		{`[string "x = {} + 1"]:12: cannot perform add operation between table and number`, -1, nil,
			`[string "x = {} + 1"]:12: attempt to perform arithmetic on a table value`},
		{"a.lua:: cannot perform add operation between table and number", -1, nil, ""},
		{"a\nb.lua:1: cannot perform add operation between table and number", -1, nil, ""},
		// No position, and messages that are none of gopher-lua's.
		{"cannot perform add operation between table and number", -1, nil, "attempt to perform arithmetic on a table value"},
		{"a.lua:3: cannot perform add operation between table and number!", -1, nil, ""},
		{"a.lua:3: xcannot perform add operation between table and number", -1, nil, ""},
		{"a.lua:3: attempt to perform arithmetic on a table value", -1, nil, ""},
		{"a.lua:3: table index is nil", -1, nil, ""},
	}
	for _, tt := range tests {
		got, ok := translateVMError(tt.msg, tt.op, tt.ops)
		want := tt.want
		if want == "" {
			want = tt.msg
		}
		if got != want || ok != (tt.want != "") {
			t.Errorf("translateVMError(%q, %d, %v) = %q, %v; want %q, %v", tt.msg, tt.op, tt.ops, got, ok, want, tt.want != "")
		}
	}
}

// TestVMErrorsInProtectedCalls runs the operations through PCall: the
// registers of the raising function are read at the point of the error,
// a handler receives the translated message and the traceback is kept.
func TestVMErrorsInProtectedCalls(t *testing.T) {
	if !frame.ok {
		t.Fatalf("gopher-lua's Debug/callFrame/registry fields changed: %+v", frame)
	}
	L := lua.NewState()
	defer L.Close()
	OpenRuntime(L)
	tests := []struct{ src, want string }{
		{"local t = {} return t + 1", "test:1: attempt to perform arithmetic on a table value"},
		{"local s = '10' return s + {}", "test:1: attempt to add a 'string' with a 'table'"},
		{"local f = 5; f()", "test:1: attempt to call a number value"},
		{"local t = setmetatable({}, {__name = 'Pt'}) return -t", "test:1: attempt to perform arithmetic on a Pt value"},
		{"return #5", "test:1: attempt to get length of a number value"},
		{"local t = {} return t.x.y", "test:1: attempt to index a nil value"},
		{"return {} <= {}", "test:1: attempt to compare two table values"},
		{"for i in 5 do end", "test:1: attempt to call a number value (for iterator 'for iterator')"},
		{"local lim = {} for i = 1, lim do end", "test:1: bad 'for' limit (number expected, got table)"},
		// error() raises in a Go frame: its message is never rewritten.
		{"error('cannot perform add operation between table and number')",
			"test:1: cannot perform add operation between table and number"},
	}
	for _, tt := range tests {
		for _, handler := range []bool{false, true} {
			var h *lua.LFunction
			var got string
			if handler {
				h = L.NewFunction(func(L *lua.LState) int {
					got = L.CheckString(1)
					L.Push(lua.LString("handled"))
					return 1
				})
				h.Upvalues = []*lua.Upvalue{{}} // run as a Lua-level handler
			}
			err := runPCall(t, L, tt.src, h)
			if err == nil {
				t.Fatalf("%s: no error", tt.src)
			}
			if !handler {
				got = ErrorValue(err).String()
				if st := err.(*lua.ApiError).StackTrace; !strings.Contains(st, "stack traceback:") {
					t.Errorf("%s: no traceback: %q", tt.src, st)
				}
			} else if v := ErrorValue(err).String(); v != "handled" {
				t.Errorf("%s: handler result %q", tt.src, v)
			}
			if got != tt.want {
				t.Errorf("%s (handler %v): got %q, want %q", tt.src, handler, got, tt.want)
			}
		}
	}
}
