//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package worker

import "syscall"

// soReusePort is not available here: setsockopt fails with ENOPROTOOPT and
// AcceptReusePort's listens report it.
const soReusePort = -1
