package fdio_test

import (
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/luamod/eco/fdio"
	"github.com/golua-ws/golua-ws/runtime"
	"golang.org/x/sys/unix"
)

// TestForgetReleasesTheFile: after a wait made the table poll a dup of fd,
// Forget and close(fd) close the file for real (the peer reads EOF), and fd
// itself was left open by Forget.
func TestForgetReleasesTheFile(t *testing.T) {
	rt := newRuntime(t)
	a, b := socketpair(t)
	tb := fdio.TableOf(rt)
	do(t, rt, func(task *runtime.Task) error {
		h, err := tb.NewHandle(a)
		if err != nil {
			return err
		}
		go func() {
			time.Sleep(50 * time.Millisecond)
			_, _ = unix.Write(b, []byte("x"))
		}()
		// a wait that blocks makes the table poll a dup of a
		if err := h.Wait(task, fdio.Read, 2*time.Second); err != nil {
			return err
		}
		_, err = unix.Read(a, make([]byte, 1))
		return err
	})
	tb.Forget(a)
	if _, err := unix.FcntlInt(uintptr(a), unix.F_GETFD, 0); err != nil {
		t.Fatalf("Forget closed the fd itself: %v", err)
	}
	if err := unix.Close(a); err != nil {
		t.Fatal(err)
	}
	if err := unix.SetNonblock(b, false); err != nil {
		t.Fatal(err)
	}
	_ = unix.SetsockoptTimeval(b, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &unix.Timeval{Sec: 2})
	if n, err := unix.Read(b, make([]byte, 8)); n != 0 || err != nil {
		t.Fatalf("the peer did not see the end after Forget and close: %d %v", n, err)
	}
}
