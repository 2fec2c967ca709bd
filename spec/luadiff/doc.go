// Package luadiff is the Lua 5.4 differential harness: it runs Lua programs
// under the reference interpreter (Debian's lua5.4, 5.4.4) and under
// golua-ws's runtime, in-process and set up as the golua-ws command sets it
// up, and compares what they print line by line.
//
// # What is compared
//
// Each program's stdout lines, then, if it wrote to stderr, a marker line
// and its stderr lines up to "stack traceback:" (the message of an uncaught
// error, without lua5.4's "lua5.4: " prefix), then the exit status when it
// is not zero. The first differing line is reported with the program, the
// source line that printed it (found by the label the line starts with)
// and both texts.
//
// Without lua5.4 on $PATH the tests skip, unless the environment variable
// CI is set: then they fail, since CI (.ci/run) installs it.
//
// # The corpus (corpus/*.lua)
//
// TestCorpus runs every program of corpus/ in parallel, each with a
// timeout. To add a program, write corpus/TOPIC_WHAT.lua:
//
//   - one focused topic, a first comment line saying what it checks;
//   - every print starts with a short label unique in the file
//     (print("swap", a, b)), so a difference points at its print;
//   - its output must be deterministic and defined in Lua 5.4: no table
//     or function addresses, no pairs order over hash keys (sort the keys
//     first), no time, no unseeded random, no integers beyond 2^53 (they
//     are float64 here; that difference has its own documented entries);
//   - use print, not io.write: in-process, the io library writes to the
//     process's stdout, not to the runtime's (runtime.WithStdout);
//   - run it with lua5.4 and look at the output before adding it.
//
// A program that fails only because of a difference that is being fixed
// starts with a line "-- pending: REASON". The test still fails on it (the
// reason is added to the report), and fails when it passes, so that the
// line is removed once the fix is in.
//
// # Rules (rules.go)
//
// A difference that is documented in docs/lua-compat.md, and that a
// program must show, is accepted by a rule: it names the corpus programs
// where it applies and rewrites one construct in both the lua5.4 line and
// the golua-ws line (for example, drops a " (local 'x')" variable
// description); the pair is accepted when the rewritten lines are equal. To
// add one, add the line to docs/lua-compat.md, then a Rule whose Compat is
// a text of that line, whose Files name the programs, and whose Rewrite
// changes nothing but the construct. TestRulesAreDocumented checks the
// entry exists; TestCorpus fails when a rule accepts no line (stale).
//
// # Generated programs (gen.go)
//
// Generate(seed) writes a deterministic random program from constructs
// whose output is defined in both interpreters (see gen.go for the list).
// TestGenerated runs seeds 0-299 in four batches (one lua5.4 process and
// one runtime per batch); a failure prints the seed and its program.
// FuzzDifferential explores more seeds:
//
//	go test -run '^$' -fuzz FuzzDifferential -fuzztime 2m ./spec/luadiff
package luadiff
