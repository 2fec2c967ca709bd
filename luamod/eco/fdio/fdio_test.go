package fdio_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/luamod/eco/fdio"
	"github.com/golua-ws/golua-ws/runtime"
	"golang.org/x/sys/unix"
)

// newRuntime returns a runtime closed when the test ends.
func newRuntime(t *testing.T) *runtime.Runtime {
	t.Helper()
	rt := runtime.New(runtime.WithStdout(os.Stderr), runtime.WithStderr(os.Stderr))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = rt.Close(ctx)
	})
	return rt
}

// socketpair returns a connected pair of unix stream sockets, closed when
// the test ends unless the test closed them.
func socketpair(t *testing.T) (int, int) {
	t.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = unix.Close(fds[0])
		_ = unix.Close(fds[1])
	})
	return fds[0], fds[1]
}

// do runs fn on a task of rt, bounded to 10 s.
func do(t *testing.T, rt *runtime.Runtime, fn func(task *runtime.Task) error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := rt.Do(ctx, fn); err != nil {
		t.Fatal(err)
	}
}

func TestWaitReadyTimeoutAndData(t *testing.T) {
	rt := newRuntime(t)
	a, b := socketpair(t)
	tb := fdio.TableOf(rt)
	do(t, rt, func(task *runtime.Task) error {
		h, err := tb.NewHandle(a)
		if err != nil {
			return err
		}
		if err := h.Wait(task, fdio.Write, 200*time.Millisecond); err != nil {
			t.Errorf("wait write on an empty socket: %v", err)
		}
		start := time.Now()
		if err := h.Wait(task, fdio.Read, 30*time.Millisecond); !errors.Is(err, fdio.ErrTimeout) {
			t.Errorf("wait read with nothing to read = %v, want timeout", err)
		}
		if d := time.Since(start); d < 25*time.Millisecond || d > 2*time.Second {
			t.Errorf("timeout took %v", d)
		}
		go func() {
			time.Sleep(20 * time.Millisecond)
			_, _ = unix.Write(b, []byte("x"))
		}()
		if err := h.Wait(task, fdio.Read, 2*time.Second); err != nil {
			t.Errorf("wait read after the peer wrote: %v", err)
		}
		if err := h.Wait(task, fdio.Read|fdio.Write, time.Second); err != nil {
			t.Errorf("wait for either direction: %v", err)
		}
		return nil
	})
}

func TestCancelFromAnotherTask(t *testing.T) {
	rt := newRuntime(t)
	a, _ := socketpair(t)
	tb := fdio.TableOf(rt)
	do(t, rt, func(task *runtime.Task) error {
		h, err := tb.NewHandle(a)
		if err != nil {
			return err
		}
		other, err := tb.NewHandle(a)
		if err != nil {
			return err
		}
		canceller := rt.Start("canceller", runtime.Queued, func(ct *runtime.Task) error {
			ct.Sleep(20 * time.Millisecond)
			if err := other.CheckBusy(fdio.Read); !errors.Is(err, fdio.ErrReadBusy) {
				t.Errorf("second reader on a waited fd: CheckBusy = %v", err)
			}
			if err := h.CheckBusy(fdio.Write); !errors.Is(err, fdio.ErrBusy) {
				t.Errorf("waiting handle: CheckBusy = %v", err)
			}
			h.Cancel()
			return nil
		})
		if canceller == nil {
			t.Fatal("start failed")
		}
		start := time.Now()
		if err := h.Wait(task, fdio.Read, 5*time.Second); !errors.Is(err, fdio.ErrCanceled) {
			t.Errorf("canceled wait = %v", err)
		}
		if time.Since(start) > 3*time.Second {
			t.Error("cancel did not end the wait early")
		}
		if err := h.CheckBusy(fdio.Read); err != nil {
			t.Errorf("after the wait: CheckBusy = %v", err)
		}
		return nil
	})
}

func TestReaderFormats(t *testing.T) {
	rt := newRuntime(t)
	a, b := socketpair(t)
	tb := fdio.TableOf(rt)
	if _, err := unix.Write(b, []byte("one\r\ntwo\nthreeENDrest")); err != nil {
		t.Fatal(err)
	}
	do(t, rt, func(task *runtime.Task) error {
		h, err := tb.NewHandle(a)
		if err != nil {
			return err
		}
		r := fdio.NewReader(h)
		want := func(what string, got []byte, err error, exp string) {
			t.Helper()
			if err != nil || string(got) != exp {
				t.Errorf("%s = %q, %v; want %q", what, got, err, exp)
			}
		}
		line, err := r.ReadLine(task, false, time.Second)
		want("line", line, err, "one")
		line, err = r.ReadLine(task, true, time.Second)
		want("line kept", line, err, "two\n")
		part, found, err := r.ReadUntil(task, []byte("END"), time.Second)
		want("until", part, err, "three")
		if !found {
			t.Error("delimiter not reported found")
		}
		got, err := r.Read(task, 2, time.Second)
		want("count from buffer", got, err, "re")
		_ = unix.Shutdown(b, unix.SHUT_WR)
		all, err := r.ReadAll(task, time.Second)
		want("all", all, err, "st")
		if _, err := r.ReadAll(task, time.Second); !errors.Is(err, fdio.ErrEOF) {
			t.Errorf("second read to the end = %v, want eof", err)
		}
		if s := fdio.ErrString(a, fdio.ErrEOF); s != "closed" {
			t.Errorf("end of a socket reads %q, want closed", s)
		}
		return nil
	})
}

func TestWriteBackpressureTimesOut(t *testing.T) {
	rt := newRuntime(t)
	a, _ := socketpair(t)
	if err := unix.SetsockoptInt(a, unix.SOL_SOCKET, unix.SO_SNDBUF, 4096); err != nil {
		t.Fatal(err)
	}
	tb := fdio.TableOf(rt)
	do(t, rt, func(task *runtime.Task) error {
		h, err := tb.NewHandle(a)
		if err != nil {
			return err
		}
		_, err = h.Write(task, make([]byte, 4<<20), 50*time.Millisecond)
		if !errors.Is(err, fdio.ErrTimeout) {
			t.Errorf("write into a full socket = %v, want timeout", err)
		}
		return nil
	})
}

func TestRegularFileAndClose(t *testing.T) {
	rt := newRuntime(t)
	tb := fdio.TableOf(rt)
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, []byte("0123456789"), 0o600); err != nil {
		t.Fatal(err)
	}
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := tb.Adopt(fd); err != nil {
		t.Fatal(err)
	}
	do(t, rt, func(task *runtime.Task) error {
		h, err := tb.NewHandle(fd)
		if err != nil {
			return err
		}
		if err := h.Wait(task, fdio.Read, time.Second); err != nil {
			t.Errorf("a regular file is always ready: %v", err)
		}
		r := fdio.NewReader(h)
		got, err := r.ReadFull(task, 20, time.Second)
		if !errors.Is(err, fdio.ErrEOF) || got != nil {
			t.Errorf("readfull past the end = %q, %v", got, err)
		}
		if s := fdio.ErrString(fd, err); s != "eof" {
			t.Errorf("end of a file reads %q, want eof", s)
		}
		return nil
	})
	if err := tb.Close(fd); err != nil {
		t.Fatal(err)
	}
	if err := tb.Close(fd); !errors.Is(err, unix.EBADF) || fdio.Strerror(err) != "Bad file descriptor" {
		t.Errorf("second close = %v (%q), want EBADF", err, fdio.Strerror(err))
	}
}

func TestSendfile(t *testing.T) {
	rt := newRuntime(t)
	a, b := socketpair(t)
	tb := fdio.TableOf(rt)
	path := filepath.Join(t.TempDir(), "src")
	if err := os.WriteFile(path, []byte("0123456789abcdef"), 0o600); err != nil {
		t.Fatal(err)
	}
	do(t, rt, func(task *runtime.Task) error {
		h, err := tb.NewHandle(a)
		if err != nil {
			return err
		}
		if n, err := h.Sendfile(task, path, 2, 5, time.Second); n != 5 || err != nil {
			t.Errorf("sendfile = %d, %v", n, err)
		}
		buf := make([]byte, 16)
		n, _ := unix.Read(b, buf)
		if string(buf[:n]) != "23456" {
			t.Errorf("peer got %q", buf[:n])
		}
		if _, err := h.Sendfile(task, path, 100, 1, time.Second); fdio.ErrString(a, err) != "closed" {
			t.Errorf("sendfile past the end = %v, want closed", err)
		}
		if _, err := h.Sendfile(task, path+".missing", 0, 1, time.Second); fdio.Strerror(err) != "No such file or directory" {
			t.Errorf("sendfile of a missing file = %v", err)
		}
		return nil
	})
}

func TestShutdownEndsWaits(t *testing.T) {
	rt := runtime.New(runtime.WithStdout(os.Stderr), runtime.WithStderr(os.Stderr))
	a, _ := socketpair(t)
	tb := fdio.TableOf(rt)
	started := make(chan struct{})
	go func() {
		<-started
		time.Sleep(30 * time.Millisecond)
		rt.Exit(0)
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = rt.Do(ctx, func(task *runtime.Task) error {
		h, err := tb.NewHandle(a)
		if err != nil {
			return err
		}
		close(started)
		return h.Wait(task, fdio.Read, 0)
	})
	select {
	case <-rt.Done():
	case <-ctx.Done():
		t.Fatal("runtime exit did not end a wait without timeout")
	}
}

func TestExitClosesAdoptedFds(t *testing.T) {
	rt := runtime.New(runtime.WithStdout(os.Stderr), runtime.WithStderr(os.Stderr))
	tb := fdio.TableOf(rt)
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fds[1])
	if err := tb.Adopt(fds[0]); err != nil {
		t.Fatal(err)
	}
	rt.Exit(0)
	<-rt.Done()
	// The peer sees end of input once the adopted end is closed.
	buf := make([]byte, 1)
	if err := unix.SetNonblock(fds[1], false); err != nil {
		t.Fatal(err)
	}
	if n, err := unix.Read(fds[1], buf); n != 0 || err != nil {
		t.Fatalf("peer read = %d, %v; want end of input", n, err)
	}
}

// A wait must not keep the file open after it: an owner that closes its
// fd without the table (a Go socket) still closes the connection.
func TestWaitHoldsNoFileOpenAfterwards(t *testing.T) {
	rt := newRuntime(t)
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	a, b := fds[0], fds[1]
	defer unix.Close(b)
	tb := fdio.TableOf(rt)
	do(t, rt, func(task *runtime.Task) error {
		h, err := tb.NewHandle(a)
		if err != nil {
			return err
		}
		if err := h.Wait(task, fdio.Read, 20*time.Millisecond); !errors.Is(err, fdio.ErrTimeout) {
			t.Errorf("wait = %v, want timeout", err)
		}
		return nil
	})
	if err := unix.Close(a); err != nil {
		t.Fatal(err)
	}
	if err := unix.SetNonblock(b, true); err != nil {
		t.Fatal(err)
	}
	n, err := unix.Read(b, make([]byte, 1))
	if n != 0 || err != nil {
		t.Fatalf("peer read after close = %d, %v; want end of input (a dup still holds the socket)", n, err)
	}
}

func TestCloseEndsWaitWithEBADF(t *testing.T) {
	rt := newRuntime(t)
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fds[1])
	tb := fdio.TableOf(rt)
	do(t, rt, func(task *runtime.Task) error {
		h, err := tb.NewHandle(fds[0])
		if err != nil {
			return err
		}
		rt.Start("closer", runtime.Queued, func(ct *runtime.Task) error {
			ct.Sleep(30 * time.Millisecond)
			return tb.Close(fds[0])
		})
		err = h.Wait(task, fdio.Read, 5*time.Second)
		if fdio.Strerror(err) != "Bad file descriptor" {
			t.Errorf("wait on an fd closed meanwhile = %v", err)
		}
		return nil
	})
}
