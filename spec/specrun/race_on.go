//go:build race

package specrun

// raceEnabled builds the command under test with -race when the tests run
// with -race, so data races inside scripts' bindings are caught too.
const raceEnabled = true
