//go:build !linux

package log

import "os"

// isTerminal approximates isatty(3) where no TCGETS is available.
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// dirWritable approximates access(dir, W_OK) by the permission bits.
func dirWritable(dir string) bool {
	st, err := os.Stat(dir)
	return err == nil && st.IsDir() && st.Mode().Perm()&0o222 != 0
}
