//go:build !race

package specrun

const raceEnabled = false
