package ecoerr

import (
	"fmt"
	"os"
	"syscall"
	"testing"
)

func TestTextWordsErrnoLikeStrerror(t *testing.T) {
	_, err := os.Open("/nonexistent/ecoerr-test")
	if got := Text(err); got != "No such file or directory" {
		t.Fatalf("Text(open error) = %q", got)
	}
	if got := Text(fmt.Errorf("exec: %w", syscall.EINVAL)); got != "Invalid argument" {
		t.Fatalf("Text(wrapped EINVAL) = %q", got)
	}
	if got := Text(fmt.Errorf("plain")); got != "plain" {
		t.Fatalf("Text(plain) = %q", got)
	}
}
