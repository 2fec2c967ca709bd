// Package lua54lib adds the Lua 5.2-5.4 standard library functions that
// gopher-lua v1.1.2 (a Lua 5.1 VM) lacks, with Lua 5.4's semantics and error
// messages, so that scripts written for Lua 5.4 runtimes (lua-eco, silly)
// run unchanged. Call Open (or OpenWithOptions) once per VM after
// gopher-lua's own libraries are open and before any script runs.
//
// What it adds or replaces:
//
//   - string: pack, unpack, packsize (every format of the 5.4 manual
//     §6.4.2), rep(s, n [, sep]), and a format that follows C/Lua 5.4
//     (%d rejects non-integral numbers, %x of negatives is two's
//     complement, %q quotes as Lua reads back, %a, %c writes a byte, %s
//     honours __tostring and width/precision). sub, byte, char, len,
//     upper, lower and reverse with 5.4's argument checks (positions must
//     be integers, char checks its range). The string metatable's
//     __index is the string table, so ("x"):rep(3, ",") works.
//   - string: find, match, gmatch and gsub on this package's Lua 5.4
//     pattern matcher (pattern.go) instead of gopher-lua's 5.1 one: the
//     %f frontier and %g class, gmatch's init argument, find/match
//     returning nil for an init beyond #s+1, 5.4's rule that gsub/gmatch
//     skip an empty match right after the previous match, the 5.4 error
//     messages ("malformed pattern (missing ']')", "pattern too complex",
//     "invalid use of '%' in replacement string", ...), and like 5.4 a
//     malformed pattern is only reported when matching reaches the bad
//     item. Classes follow the C locale (bytes >= 0x80 are in no class).
//   - utf8: char, charpattern, codepoint, codes, len, offset (5.4.6
//     behaviour, strict and lax modes).
//   - table: pack, unpack, move, and insert/remove/concat with 5.4's
//     bounds checks, errors and metamethods (__index, __newindex, __len).
//     table.sort (sort.go) is 5.4's quicksort over t[1..#t] with #t from
//     __len and elements read and written through __index/__newindex, so
//     a table that shrank sorts; the default order is 5.4's '<' (numbers,
//     strings, __lt of either operand) and its errors are 5.4's ("attempt
//     to compare two table values", "invalid order function for
//     sorting", "array too big").
//   - math: type, tointeger, maxinteger, mininteger, ult, and abs, fmod,
//     floor, ceil, log(x, base), modf, random, randomseed, min, max (any
//     values compared with "<", as 5.4 does), sqrt, sin, cos, tan, asin,
//     acos, exp, deg, rad, atan(y [, x]) with 5.4's argument rules;
//     huge is inf.
//   - base: _VERSION "Lua 5.4"; tostring (ToString, luaL_tolstring with
//     __tostring and __name, numbers by lua54.NumberToString, which print
//     uses too); tonumber with 5.4's numerals (lua54.StringToNumber: hex
//     floats, exponents, surrounding spaces) and bases 2-36; pairs
//     honouring __pairs; ipairs reading through __index; next raising
//     "invalid key to 'next'"; select, type, assert, rawequal, rawget,
//     rawset, getmetatable and setmetatable with 5.4's argument checks
//     and messages; error, which raises nil when given no value and adds
//     a position only when the function at its level is Lua code
//     (pcall(error, "msg") gives "msg"); pcall, and xpcall(f, msgh, ...)
//     forwarding the extra arguments, both through lua54.PCall (a caught
//     error leaves the caller's closures attached to their locals; a
//     handler that raises is called again with its error, as in 5.4);
//     rawlen,
//     collectgarbage with the 5.4 options ("count" in KiB as a float), and
//     warn with its "@on"/"@off" control messages (off at start, as lua
//     without -W).
//   - coroutine: the whole library (create, wrap, resume, yield, status,
//     running, isyieldable, close) on goroutines (coroutine.go): each
//     coroutine runs its body on a goroutine and a gopher-lua thread of
//     its own, and resume/yield hand control over, so a coroutine can
//     yield anywhere 5.4 allows — across pcall and xpcall, inside
//     metamethods and iterators — with 5.4's return conventions and
//     messages ("cannot resume dead coroutine", "cannot resume
//     non-suspended coroutine", "attempt to yield from outside a
//     coroutine", wrap prefixing string errors with the caller's
//     position). coroutine.close of a suspended coroutine unwinds it,
//     running its pending to-be-closed variables (__close gets a nil
//     error), and returns true or false plus the error. running returns
//     (thread, ismain); the runtime marks its main chunk's thread as the
//     main thread (Options.IsMainThread).
//   - debug (debug.go): getinfo with 5.4's fields (source, short_src,
//     what "Lua"/"C"/"main", currentline, linedefined, lastlinedefined,
//     nups, nparams, isvararg, name and namewhat read from the caller's
//     bytecode, istailcall, func, activelines) and option check,
//     getlocal/setlocal (negative indices for varargs, parameter names of
//     a function value), getupvalue/setupvalue, upvalueid/upvaluejoin,
//     traceback formatted as luaL_traceback (function names from
//     package.loaded, "[C]: in ?" below the main chunk, the yield level of
//     a suspended coroutine, "(skipping N levels)"), getmetatable,
//     setmetatable, getregistry, getuservalue/setuservalue with 5.4's
//     signatures, and gethook/sethook (see below). Each takes the
//     optional leading thread argument where 5.4 does.
//   - io (wrapping gopher-lua's io, whose file type is not exported):
//     write returns the file and formats numbers like tostring; read and
//     lines take 5.4's formats with or without '*' ("n" with hex and
//     exponents, "L", byte counts), lines with formats; the standard
//     files cannot be closed ("cannot close standard file"); a closed file
//     raises "attempt to use a closed file"; io.open checks the mode;
//     io.open, os.remove and os.rename fail with C's message and errno
//     ("x: No such file or directory", 2); io.lines raises "cannot open
//     file". tostring of a file is "file (0x...)". os.getenv checks its
//     argument as 5.4.
//   - os: date with every C99 strftime conversion of 5.4 in the C locale
//     (E and O modifiers; others raise "invalid conversion specifier"),
//     "*t" with yday and isdst; time of a table with 5.4's field errors,
//     normalizing the table in place as mktime; difftime of integers.
//
// It removes the Lua 5.1 functions 5.4 lacks (unpack, setfenv, getfenv,
// module, newproxy, table.getn, table.maxn, string.gfind, math.mod,
// package.seeall), so that version tests in scripts take their 5.4 path.
//
// Not here (owned by the runtime): load, loadstring, dofile, loadfile,
// require, os.exit.
//
// # Numbers are float64
//
// gopher-lua has a single number type, float64. Lua 5.4 has 64-bit
// integers and floats as two subtypes. The library narrows the gap as
// follows, and these are the places where a script can still tell:
//
//   - An "integer" is any integral float64 in [-2^63, 2^63). math.type
//     returns "integer" for such values even when 5.4 would have a float
//     (math.type(2^53), math.type(1.0), math.type(3/1) are "integer"
//     here, "float" in 5.4), "float" for fractions, infinities, NaN and
//     magnitudes of 2^63 and above. Functions that need an integer
//     argument (string.rep, table.move, %d, string.pack's integer
//     formats, ...) accept exactly these values and raise 5.4's "number
//     has no integer representation" for the others.
//   - Integers above 2^53 are not all representable: such a value is the
//     nearest float64, so 2^53+1 reads as 2^53. Arithmetic on large
//     integers rounds instead of wrapping around modulo 2^64.
//   - math.maxinteger is 2^63-1024 (9223372036854774784), the largest
//     float64 below 2^63, because 2^63-1 has no float64 representation
//     and 2^63 is outside the int64 range. math.mininteger is -2^63,
//     exact. math.maxinteger+1 == math.maxinteger.
//   - tostring(1.0) is "1" (5.4: "1.0"), tostring(-0.0) is "0" and
//     tostring(2^53) is "9007199254740992" (5.4: "9.007199254741e+15"):
//     an integer prints as one. Every other number prints as 5.4 prints a
//     float ("%.14g", "inf", "-nan"): tostring(1/3) is "0.33333333333333"
//     and tostring(2^63) "9.2233720368548e+18". The same function serves
//     print, table.concat, %s, the string functions and "..".
//     string.format("%q", 1.0) gives "1" (5.4: 0x1p+0) and %q of a
//     fraction gives its hexadecimal float form as 5.4 does.
//   - string.pack: an integer format packs the exact integer value of the
//     float64 argument, so 64-bit "j"/"J"/"i8"/"I8" round-trip exactly for
//     |v| <= 2^53. Unsigned formats also accept integral values in
//     [2^63, 2^64) (5.4 scripts pass the wrapped negative integer
//     instead, which also works). string.unpack of an 8-byte or wider
//     integer above 2^53 in magnitude returns the nearest float64; J with
//     the top bit set gives a negative value, as in 5.4.
//   - math.ult, string.format("%x"/"%o"/"%u") and table.move bounds work on
//     the int64 value of the argument, so they match 5.4 for every value
//     that float64 holds exactly.
//   - math.random(0) returns 54 random bits rather than 64.
//
// # Other differences
//
//   - A non-integral number given where a string is expected to a function
//     still provided by gopher-lua (string.find, string.gsub, io.popen,
//     ...) or to a Go binding that reads it with LState.CheckString is
//     converted by gopher-lua, with Go's shortest form
//     ("0.3333333333333333"); lua54.NumberToString is the 5.4 form.
//   - io.read("n") on a stream that cannot seek (a pipe, a terminal) is
//     gopher-lua's, which reads Go's float syntax (no hexadecimal): the
//     5.4 reader needs one byte of look-ahead it can give back, which
//     only a seek can do from outside gopher-lua's buffer.
//   - next(t, k) raises "invalid key to 'next'" only for a key t never
//     held: gopher-lua's tables remember every key once stored, so a key
//     whose field was set to nil (also outside a traversal) stays valid.
//   - A NaN made by Go's math (math.fmod(x, 0), % with a nan result)
//     prints "nan"; C's fmod gives the negative NaN, which 5.4 prints as
//     "-nan". 0/0 prints "-nan" in both.
//   - Argument errors name the function as the call site does ('pack' for
//     string.pack(...)) or by its qualified name when it has none
//     ('string.pack' when passed to pcall directly), as 5.4 does; method
//     calls are not recognised, so ("x"):rep({}) reports argument #2
//     where 5.4 reports #1.
//   - collectgarbage: Go's collector is shared by the whole process, so
//     "stop", "restart", "incremental", "generational", "setpause" and
//     "setstepmul" are accepted and reported back but do not change how Go
//     collects; "collect" and "step" run a full Go collection; "count"
//     is the live Go heap of the whole process in KiB.
//   - Inside a runtime task other than the main chunk (eco.run, silly's
//     task.fork, handlers) coroutine.running returns the task's thread
//     and false, and coroutine.isyieldable is true: as in lua-eco and
//     silly, where each of these bodies is a coroutine, a plain
//     coroutine.yield there parks the task until the scheduler resumes it
//     (eco._resume). coroutine.resume of such a thread returns false,
//     "cannot resume non-suspended coroutine": the scheduler owns it.
//   - A coroutine may also yield inside a function called by the library
//     — a string.gsub replacement function, a table.sort comparator, a
//     __tostring called by string.format or tostring — where 5.4 raises
//     "attempt to yield across a C-call boundary". The yield works: the
//     Go frames stay parked on the coroutine's goroutine.
//   - An error that kills a coroutine runs its pending __close handlers as
//     it unwinds, before coroutine.resume returns false; 5.4 leaves them
//     pending until coroutine.close (coroutine.wrap closes at once in
//     both).
//   - A suspended coroutine that is no longer reachable ends (its goroutine
//     exits without running its pending __close handlers, as in 5.4) once
//     Go's collector finds it unreachable. A coroutine whose own function
//     refers to its thread value (local co; co = coroutine.create(function()
//     ... co ... end)) keeps itself reachable: it ends only when it returns,
//     when it is closed, or when the VM's Options.Done is closed.
//   - string.rep and string.pack limit results to 2^31-1 bytes, as Lua
//     5.4 does on 64-bit hosts.
//   - debug.sethook with a hook function raises "debug.sethook: hooks are
//     not supported (gopher-lua has no debug hooks)": the VM has no hook
//     points, and a hook silently never called would break the script
//     relying on it. debug.sethook() (no hook) succeeds and debug.gethook
//     returns nil. getinfo's 'r' fields are always 0.
//   - Globals are not reached through an _ENV upvalue, so getinfo's nups
//     and getupvalue do not count or list _ENV.
//   - gopher-lua keeps only a chunk's display name: getinfo's source is
//     "@" followed by short_src for every chunk except [string "..."]
//     ones, whose source is short_src itself.
//   - debug.upvalueid returns a userdata that is == to every other id of
//     the same upvalue (an __eq metamethod) but is a different value, so
//     ids are not usable as table keys. Go functions (string.gmatch's
//     iterator, for one) have no upvalues to inspect.
//   - getinfo's name and namewhat come from the call instruction found by
//     the caller's current line (gopher-lua does not expose its pc), so a
//     function run as a metamethod or a for iterator has no name (5.4:
//     namewhat "metamethod" or "for iterator").
//   - A main chunk's implicit final return is on the line after its last
//     statement (gopher-lua's compiler), where 5.4 puts it on the line of
//     the end of the source: activelines of a chunk without a trailing
//     newline has one line more.
//   - Userdata have no user values: getuservalue returns nil and
//     setuservalue fails (nil) for every n.
//   - getlocal's names of unnamed slots are 5.4's ("(temporary)", "(C
//     temporary)", "(vararg)"), but which temporaries exist follows
//     gopher-lua's register use. gopher-lua's hidden "arg" local of vararg
//     functions is skipped so that the indices of named locals match 5.4.
//     The number of varargs of a frame is not public in gopher-lua: getlocal
//     with a negative index finds it by walking down to the called
//     function, so a vararg that is that function itself, followed by as
//     many nils as it has parameters, hides the varargs before it.
package lua54lib
