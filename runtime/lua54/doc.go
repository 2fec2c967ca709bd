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
//   - ".." becomes one call of a concat helper per chain ("a .. b .. c"
//     is concat(a, b, c)), because gopher-lua's OP_CONCAT formats numbers
//     with Go's shortest form; the helper formats them like tostring
//     (NumberToString), raises 5.4's "attempt to concatenate a nil value"
//     and calls __concat from the right as 5.4 does. Chains of literals
//     are folded.
//   - "%" stays OP_MOD when the divisor is a non-zero numeric literal
//     (its float result already equals 5.4's); otherwise it calls a mod
//     helper that raises "attempt to perform 'n%0'" for an integer zero
//     divisor and honours __mod. When both operands are locals or
//     literals the helper is called only if the divisor == 0.
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
// so a compiled prototype can be run in any LState. The call sites' debug
// names become the operator ("in function <operator //>" in a traceback),
// so no message shows the NUL-prefixed name. OpenRuntime only
// publishes the operator helpers in the registry for Go code that wants the
// same semantics.
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
//     tostring(1.0) and tostring(2^53) print "1" and "9007199254740992"
//     (5.4: "1.0", "9.007199254741e+15"), -0.0 prints "0", 7 // 2.0 is 3,
//     not 3.0. Other numbers print as 5.4 prints floats ("%.14g", "inf",
//     "-inf", "nan", "-nan"); see NumberToString.
//   - Division by zero follows 5.4's integer rule whenever both operands
//     are integer-valued: x // 0 raises "attempt to divide by zero" and
//     x % 0 raises "attempt to perform 'n%0'", also when the zero or x
//     was written as a float (3 // 0.0, 3.0 % 0: 5.4 gives inf and nan).
//     Real code divides integers far more often than it relies on a float
//     zero for inf; write 3 / 0 (always a float division) or math.huge to
//     get an infinity. A non-integral dividend gives 5.4's float results:
//     5.5 // 0 is inf, 5.5 % 0 is nan.
//   - Integer overflow does not wrap in + - * (math.maxinteger + 1 is
//     2^63, not math.mininteger); only the bitwise operators and // work in
//     64-bit integers.
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
