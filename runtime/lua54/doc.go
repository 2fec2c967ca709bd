// Package lua54 is a Lua 5.4 front-end for gopher-lua's Lua 5.1 VM.
//
// Compile parses Lua 5.4 source with its own lexer and recursive-descent
// parser, lowers the constructs the 5.1 VM lacks to gopher-lua's ast, and
// compiles the result with lua.Compile. Lua 5.1 source produces the same
// AST, and so the same bytecode, as gopher-lua's own parser, except where
// 5.4 itself differs from 5.1: numeric for loops that need the entry check
// below, and the implicit "arg" of vararg functions, which 5.4 dropped.
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
//     folded at compile time, in 64-bit integers (see below).
//   - Integer expressions. The operand tree of a bitwise operator, made
//     of the operators + - * // %, unary minus, bitwise operators and
//     integer literals over any other expressions (the leaves: names,
//     fields, calls, / and ^ results, ...), is lowered whole to one
//     helper call: the leaves are its arguments, evaluated by the VM in
//     source order and once each, and the tree is spelled in the helper's name ("aa^#16777619;*" in
//     postorder: a is the next argument, #n; a constant), which the fixer
//     links to a Go function decoded once per prototype. It computes in
//     int64 with 5.4's wrapping when every leaf is an integer (IsInteger),
//     so ((h ~ c) * 16777619) & 0xffffffff is exact; otherwise node by
//     node like 5.4: float arithmetic for non-integral numbers, numeric
//     strings coerced for arithmetic (not for bitwise operators), the
//     metamethods (__add, __mul, __band, __unm, ...) and 5.4's errors. A
//     // or % is such a root too when its operand tree has a * or a
//     bitwise operator ((a * b) % m). A single operator over plain
//     operands (a & b, i << 3, i % 7) keeps its own helper or opcode, and
//     a tree of more than 32 leaves (registers of one call) is computed
//     as before. Integer literals beyond 2^53 are exact inside such a
//     tree (see below).
//   - ".." becomes one call of a concat helper per chain ("a .. b .. c"
//     is concat(a, b, c)), because gopher-lua's OP_CONCAT formats numbers
//     with Go's shortest form; the helper formats them like tostring
//     (NumberToString), raises 5.4's "attempt to concatenate a nil value"
//     and calls __concat from the right as 5.4 does. Chains of literals
//     are folded.
//   - "%" stays OP_MOD when the divisor is a non-zero numeric literal
//     (its float result already equals 5.4's) and the dividend is not an
//     integer expression (i % 7 is OP_MOD, (i * k) % 7 an integer
//     expression call, since the product may pass 2^53); otherwise it
//     calls a mod helper that raises "attempt to perform 'n%0'" for an integer zero
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
//     environment table. A chunk that assigns to the free _ENV (anywhere,
//     nested functions included) is parsed again with a hidden
//     "local _ENV = <its environment>" at its start, so that the
//     assignment changes where every later free name of the chunk
//     resolves and closures share it, as with 5.4's _ENV upvalue; only
//     such chunks pay for indexing _ENV instead of OP_GETGLOBAL.
//   - Lua 5.5 global declarations (5.5 manual §3.3.7): "global x, y",
//     "global<const> x", "global x <const>", "global *", "global<const> *",
//     "global function f" and "global x, y = explist". "global" is a
//     reserved word only where 5.5 reads a declaration (followed by a name,
//     '<', '*' or "function"), so 5.4 code may use it as a name. The rules
//     are 5.5's: a declaration shadows outer ones (locals included) until
//     its block ends; in the scope of a global declaration and without a
//     "global *" in scope, a free name is the compile error "variable 'x'
//     not declared" (silly's "global _" uses this as a strict mode);
//     assigning to a <const> global, or to any name under "global<const> *",
//     is "attempt to assign to const variable 'x'"; <close> gives "global
//     variables cannot be to-be-closed". Declared globals are ordinary
//     global accesses; an initialisation (and "global function") raises
//     "global 'x' already defined" at run time when the global is not nil,
//     checking and assigning the names last to first like 5.5. A declared
//     global that shadows a visible local of the same name is read and
//     written through the environment (a helper call), since gopher-lua's
//     compiler would bind the plain name to the local; so is _ENV.x when
//     a local x is visible (it read the local before).
//   - Vararg functions have no implicit Lua 5.1 "arg" table: "arg" is an
//     ordinary global, and gopher-lua no longer builds the table on every
//     call of a vararg function. (A free "arg" inside a vararg function
//     costs a helper call, since gopher-lua's compiler keeps its own local
//     of that name.)
//   - A numeric for whose start or step is not a small integer literal
//     (|start| <= 2^32, 0 < |step| <= 2^16) starts with one call of the
//     forprep helper per entry of the loop, not per iteration. It raises
//     5.4's "bad 'for' initial value (number expected, got table)" (limit,
//     step likewise) and "'for' step is zero", converts numeric strings,
//     and for an integer start and step counts the iterations like 5.4
//     (limit floored or clipped to the int64 range) and hands gopher-lua
//     the last value as its limit. See the float64 section for what it
//     refuses. The loop and a test after it (of a hidden local) sit in a
//     do block with the helper's results.
//   - A function that assigns its last parameter the value of a call in
//     parentheses or followed by other values (which includes the lowered
//     operators above: "n = p // n") starts with "local p = p", one MOVE
//     per call: gopher-lua's compiler places such a call in the last
//     parameter's register before evaluating its arguments.
//   - A loop body (generic for, while, repeat) or a label followed by a
//     statement that compiles to a jump first (break, a do block or a
//     constant if starting with one) gets a one-instruction no-op in front
//     of it (jumps.go): gopher-lua's jump threading misreads backward jumps
//     that land on a jump, so such loops skipped code, re-ran outer loops
//     or never ended.
//   - A multiple assignment whose local target gopher-lua would store too
//     early (its issue #440: it writes a local of the current function as
//     soon as that value is computed, so "a, b = b, a" gave 2 2) assigns
//     that target from a hidden local after the statement, right to
//     left as 5.4 does: "do local h = b; b = a; a = h end". This applies
//     only when something evaluated later can see the local (a later value
//     names it, or it is captured by a closure and a later value may run
//     code), when it is the table of an indexed target, or when it is a
//     target twice; other assignments compile as before. In a function with
//     more than 100 locals the values go through a table instead, to stay
//     within gopher-lua's 200 registers. See lowerAssign.
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
// PCall's error function also gives the messages gopher-lua's VM raises in
// its own words Lua 5.4's wording (vmerrors.go, one table of gopher-lua's
// exact formats): "cannot perform add operation between table and number"
// becomes "attempt to perform arithmetic on a table value", "attempt to
// call a non-function object" "attempt to call a nil value", and so on for
// unary minus, #, comparisons, indexing and the numeric for's checks. It
// runs at the point of the error, so it reads the operands of the raising
// instruction from the frame's registers (vmstate.go) to name their types
// (with __name) as 5.4 does; a handler, pcall, coroutine.resume and the
// uncaught-error report all see the translated text. Only messages raised
// in a Lua function are translated, never those of error() or of a Go
// function: gopher-lua's wording raised inside one of its own library
// functions stays (docs/lua-compat.md).
//
// # Where behaviour differs from Lua 5.4 (numbers stay float64)
//
// gopher-lua has one number type, float64. This package treats an integral
// float64 within int64 range as an integer (IsInteger, shared with
// lua54lib's math.type). Consequently:
//
//   - Integers beyond 2^53 are not exact in values: variables, table
//     fields, arguments and results hold float64. An integer literal that
//     float64 cannot hold exactly is refused when the chunk is loaded:
//     "integer literal 9007199254740993 cannot be represented exactly
//     (numbers are float64 in golua-ws)", unless it is part of an integer
//     expression, which carries its int64 value exactly
//     ((x * 0x9E3779B97F4A7C15) >> 11 loads; local K =
//     0x9E3779B97F4A7C15 and x * 0x9E3779B97F4A7C15 alone do not). A
//     constant-folded integer expression whose value float64 cannot hold
//     rounds as the same operation does at run time (folding never changes
//     a result), unless an enclosing integer expression takes its exact
//     value. Hex integer literals first wrap
//     modulo 2^64 as in 5.4, so 0xffffffffffffffff (-1) and
//     0x8000000000000000 (-2^63) load, but 0x7fffffffffffffff (5.4's
//     math.maxinteger) is refused: write math.maxinteger (lua54lib makes
//     it 2^63-1024, the largest float64 below 2^63). A decimal integer
//     literal beyond int64 is a float, as in 5.4.
//   - Integer expressions (see Lowering) are exact inside; their result is
//     converted to float64, so a result beyond ±2^53 rounds (mask or
//     shift it down, as hashes do). + - * outside them are float64 and
//     round past 2^53: h = h * 31 + c does, h = (h * 31 + c) & 0xffffffff
//     does not, and neither does (a * b) % m. Within one integer
//     expression the operators run after all its leaves are evaluated,
//     while 5.4 runs an operator as soon as its operands are: a metamethod
//     call or an error of an inner operator comes after the calls and
//     field reads to its right ((t * 2 + f()) & 1 calls f before t's
//     __mul; 5.4 after). Integral floats count as integers there too:
//     (2^60 + 1) & 1 is 1 (5.4: 0, adding in float).
//   - Numeric for loops count exactly or not at all. float64 steps are
//     exact only within ±2^53 (beyond, i + 1 == i and a loop to
//     math.maxinteger ran forever). A loop whose start is beyond ±(2^53-1)
//     is an error at entry ("'for' initial value ... is beyond 2^53"), as
//     is one that would pass ±2^53 within 2^32 iterations ("'for' loop
//     from 1 by 2^40 would pass 2^53"); a longer one runs, so that for i =
//     1, math.maxinteger do ... break end works, but if it gets to the
//     last exact value (after at least 2^32 iterations) without breaking
//     out it raises "'for' loop stopped after 9007199254740991: counting
//     further passes 2^53" (each break of the loop clears the value the
//     check after the loop tests). A float loop whose start
//     gopher-lua cannot reproduce (its loop computes start-step+step,
//     which for 0.1 by 0.7 is 0.09999999999999998) is an error at entry
//     too. Loops with a small integer literal start and step skip the
//     check: reaching 2^53 takes them 2^36 iterations, and a non-number
//     limit gets gopher-lua's "for statement limit must be a number"
//     (numeric strings are not converted there). Loops with an integral
//     float step (2^51) count as integer loops, not as 5.4's float loops.
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
//   - Integer overflow does not wrap in + - * outside integer expressions
//     (math.maxinteger + 1 is 2^63, not math.mininteger); inside one it
//     wraps as in 5.4.
//
// Names are ASCII as in 5.4: a byte of 0x80 or more (a UTF-8 letter) is a
// syntax error that shows the byte's code ("unexpected symbol near
// '<\195>'").
//
// Runtime error messages lack Lua's variable description: "attempt to
// perform bitwise operation on a nil value" without "(local 'x')".
// Comparisons stay gopher-lua's opcodes: == calls __eq, and < and <= call
// __lt and __le, only when both operands share the metamethod, and a table
// compared with a number raises without calling __lt or __le.
// Compile skips a UTF-8 BOM and a first line starting with '#' in files
// ("@path" chunk names) only, as luaL_loadfile does; load("#...") is a
// syntax error as in Lua 5.4.
//
// Other known differences: "local f = function() ... f ... end" sees the
// local f inside the function like "local function f" (gopher-lua's
// compiler); the
// to-be-closed variable of a generic for (its fourth value) is not closed;
// a coroutine cannot yield inside the scope of a <close> variable (the
// helper's protected call is a Go call), and an error leaving such a scope
// is re-raised from the helper, so its traceback starts there.
package lua54
