package log

import (
	"os"
	"syscall"
	"unsafe"
)

// isTerminal is isatty(3): a TCGETS ioctl that succeeds.
func isTerminal(f *os.File) bool {
	var t syscall.Termios
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), syscall.TCGETS, uintptr(unsafe.Pointer(&t)))
	return errno == 0
}

// dirWritable is access(dir, W_OK).
func dirWritable(dir string) bool {
	return syscall.Access(dir, 2) == nil
}
