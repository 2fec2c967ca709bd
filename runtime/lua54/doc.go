// Package lua54 is a Lua 5.4 front-end for gopher-lua's Lua 5.1 VM.
//
// Compile parses Lua 5.4 source with its own lexer and recursive-descent
// parser, lowers the constructs the 5.1 VM lacks to gopher-lua's ast, and
// compiles the result with lua.Compile. Lua 5.1 source produces the same
// AST, and so the same bytecode, as gopher-lua's own parser.
//
// # Lowering
//
//   - Bitwise operators (& | ~ << >> and unary ~) and floor division (//)
//     become calls of Go helpers with 5.4 semantics: operands are converted
//     to 64-bit integers ("number has no integer representation" otherwise;
//     strings are not coerced, as in Lua 5.4, while // coerces numeric
//     strings like the other arithmetic operators), shifts of 64 or more give 0, negative
//     shifts shift the other way, integer // 0 raises "attempt to divide
//     by zero", and the metamethods __band, __bor, __bxor, __shl, __shr,
//     __bnot and __idiv are honoured. Operations on numeric literals are
//     folded at compile time.
//   - <const> locals are ordinary locals; assigning to one is the compile
//     error "attempt to assign to const variable 'x'".
//   - A <close> local wraps the rest of its block in a function called by a
//     helper under a protected call; the helper calls __close(value, err)
//     on every exit (normal end, break, goto, return after its values are
//     evaluated, error), innermost first, then re-raises errors. Exits out
//     of the block are returned as an exit kind and replayed after closing.
//   - A local (or parameter) named _ENV redirects the free names in its
//     scope to fields of it. A free _ENV is the function's environment:
//     _ENV.x is the global x, and _ENV as a value is the calling function's
//     environment table.
//   - A function that assigns its last parameter the value of a call in
//     parentheses or followed by other values (which includes the lowered
//     operators above: "n = p // n") starts with "local p = p", one MOVE
//     per call: gopher-lua's compiler places such a call in the last
//     parameter's register before evaluating its arguments.
//   - goto and labels follow 5.4's scoping rules, checked by the parser, and
//     compile to gopher-lua's native goto. Compile repairs the OP_CLOSE
//     gopher-lua emits before a goto's jump (it closes every upvalue of the
//     frame when the block captured none).
//
// # How lowered code reaches its helpers
//
// The lowering refers to helpers as global names that start with a NUL
// byte, which no Lua identifier can spell. After lua.Compile, Compile
// rewrites each OP_GETGLOBAL of such a name into an OP_LOADK of a Go
// function it appends to that prototype's constants. Lowered code therefore
// adds nothing to _G and costs no table lookup; the helpers keep no state,
// so a compiled prototype can be run in any LState. OpenRuntime only
// publishes the operator helpers in the registry for Go code that wants the
// same semantics.
//
// # Protected calls
//
// PCall (and PCallValue, which skips the traceback) is the protected call
// every part of golua-ws uses (pcall, xpcall, <close> scopes, tasks, module
// callbacks) instead of LState.PCall, whose
// error handling in gopher-lua v1.1.2 detaches the closures of every caller
// from their locals after a caught error (yuin/gopher-lua#448) and leaves
// the closures created inside the failed call pointing at stack slots that
// are cleared and reused. PCall keeps the callers' upvalues open and closes
// those of the unwound frames at the point of the error; vmstate.go is the
// one file that reaches gopher-lua's unexported state for this, and
// TestVMFields fails if a gopher-lua release moves it. A Lua message
// handler that raises is called again with its own error, as in Lua 5.4,
// and after 215 calls the error is "error in error handling". What stays
// different (docs/lua-compat.md): when a call fails because the Lua call
// stack is full ("stack overflow"), gopher-lua cannot call the error
// function, and the closures created inside that call see their captured
// locals as nil; a traceback built in a Lua message handler shows the Go
// error function as an extra frame (debug.traceback given as the handler
// runs in that frame and does not); a Go handler that raises is not called
// again.
//
// # Where behaviour differs from Lua 5.4 (numbers stay float64)
//
// gopher-lua has one number type, float64. This package treats an integral
// float64 within int64 range as an integer (IsInteger, shared with
// lua54lib's math.type). Consequently:
//
//   - Integers beyond 2^53 are not exact: 2^53+1 reads as 2^53, and
//     0x7fffffffffffffff is 2^63 as a float and so has no integer
//     representation (math.maxinteger is not exactly representable).
//     Hex literals still wrap modulo 2^64 (0xffffffffffffffff == -1).
//   - Integer-valued floats are integers: math.type(1.0) is "integer",
//     tostring(1.0) and tostring(2^53) print "1" and "9007199254740992",
//     3.0 // 0 raises "attempt to divide by zero" and 3 // 0.0 too (Lua 5.4
//     gives inf), 7 // 2.0 is 3, not 3.0.
//   - Integer overflow does not wrap in + - * (math.maxinteger + 1 is
//     2^63, not math.mininteger); only the bitwise operators and // work in
//     64-bit integers.
//   - % follows 5.1 (a - floor(a/b)*b): 5 % 0 is nan instead of the error
//     "attempt to perform 'n%%0'".
//   - Infinities print as "+Inf" and "-Inf" (gopher-lua's tostring), not
//     "inf" and "-inf"; floats with an integral value print without ".0".
//
// Runtime error messages lack Lua's variable description: "attempt to
// perform bitwise operation on a nil value" without "(local 'x')".
// Compile skips a first line starting with '#' for every chunk, including
// strings given to load (Lua does so only for files).
//
// Other known differences: "local f = function() ... f ... end" sees the
// local f inside the function like "local function f" (gopher-lua's
// compiler); assigning to a free _ENV ("_ENV = t") is a compile error; the
// to-be-closed variable of a generic for (its fourth value) is not closed;
// a coroutine cannot yield inside the scope of a <close> variable (the
// helper's protected call is a Go call), and an error leaving such a scope
// is re-raised from the helper, so its traceback starts there.
package lua54
