//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package worker

// soReusePort is SO_REUSEPORT on the BSDs and macOS.
const soReusePort = 0x200
