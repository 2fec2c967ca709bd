package fdio

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// The netpoller path is the one meant for sockets and pipes; poll(2) is
// only the fallback. A regression to the fallback would still pass the
// behavioural tests, so check which path each kind of fd gets.
func TestPollerKinds(t *testing.T) {
	tb := &Table{entries: make(map[int]*entry)}
	defer tb.shutdown()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fds[0])
	defer unix.Close(fds[1])
	if err := unix.SetNonblock(fds[0], true); err != nil {
		t.Fatal(err)
	}
	p, err := tb.lookup(fds[0]).acquirePoller()
	if err != nil || !p.pollable {
		t.Fatalf("socket poller: %+v, %v; want pollable", p, err)
	}
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	p, err = tb.lookup(fd).acquirePoller()
	if err != nil || p.pollable {
		t.Fatalf("regular file poller: %+v, %v; want not pollable", p, err)
	}
}

// An fd number closed behind the table's back and reused for another file
// must not keep the old file's poller.
func TestLookupReplacesStaleEntry(t *testing.T) {
	tb := &Table{entries: make(map[int]*entry)}
	defer tb.shutdown()
	dir := t.TempDir()
	open := func(name string) int {
		fd, err := unix.Open(filepath.Join(dir, name), unix.O_CREAT|unix.O_RDWR|unix.O_CLOEXEC, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		return fd
	}
	fd := open("a")
	first := tb.lookup(fd)
	unix.Close(fd)
	fd2 := open("b")
	defer unix.Close(fd2)
	if fd2 != fd {
		t.Skipf("fd number not reused (%d, %d)", fd, fd2)
	}
	if tb.lookup(fd2) == first {
		t.Fatal("lookup kept the entry of a closed file")
	}
}
