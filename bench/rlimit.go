package bench

import (
	"fmt"
	"syscall"
)

// RaiseFileLimit raises this process's soft RLIMIT_NOFILE to its hard
// limit, so thousands of connections fit. Child processes started afterwards
// (the servers under test) inherit the raised limit.
func RaiseFileLimit() error {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return fmt.Errorf("bench: get RLIMIT_NOFILE: %w", err)
	}
	// Set it even when the Go runtime has already raised the soft limit at
	// start-up: only an explicit Setrlimit stops os/exec from restoring the
	// original, lower limit in child processes.
	lim.Cur = lim.Max
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return fmt.Errorf("bench: raise RLIMIT_NOFILE to %d: %w", lim.Max, err)
	}
	return nil
}
