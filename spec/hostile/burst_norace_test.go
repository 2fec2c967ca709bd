//go:build !race

package hostile

// burstRace is set when the tests (and the command they build) run with
// the race detector, whose shadow memory is never returned to the OS.
const burstRace = false
