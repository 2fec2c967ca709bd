package fdio

import (
	"fmt"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/golua-ws/golua-ws/runtime"
	"golang.org/x/sys/unix"
)

// Table is a runtime's table of the raw fds eco knows about: those its
// bindings created (adopted, closed when the runtime ends) and those a
// script wrapped with eco.io, eco.reader or eco.writer (their readiness
// pollers). Safe from any goroutine.
type Table struct {
	mu      sync.Mutex
	entries map[int]*entry
	closed  bool
}

type tableKey struct{}

// TableOf returns rt's fd table, making it on first use. The table closes
// its pollers, waking every wait, and the fds adopted with [Table.Adopt]
// when rt exits.
func TableOf(rt *runtime.Runtime) *Table {
	return rt.Service(tableKey{}, func() any {
		tb := &Table{entries: make(map[int]*entry)}
		rt.OnClose(tb.shutdown)
		return tb
	}).(*Table)
}

// entry is what the table knows about one fd number.
type entry struct {
	fd int
	// ident names the open file the fd referred to when the entry was
	// made, so that an fd number closed behind the table's back and
	// reused for another file gets a fresh entry (and poller).
	ident fileIdent
	owned bool

	// reader and writer are the handles waiting for each direction;
	// only the task holding the VM token touches them.
	reader, writer *Handle

	mu     sync.Mutex // guards poller, users and closed
	poller *poller
	users  int // waits using poller
	// closed is set when the fd was closed through the table (or the
	// table shut down): no poller may be made after that, or a wait that
	// raced the close would poll a dup that keeps the file open.
	closed bool
}

// fileIdent identifies an open file by device and inode (sockets and pipes
// have inodes of their own too).
type fileIdent struct{ dev, ino uint64 }

func identOf(fd int) (fileIdent, bool) {
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return fileIdent{}, false
	}
	return fileIdent{dev: uint64(st.Dev), ino: st.Ino}, true
}

// poller is a dup of an entry's fd, wrapped with os.NewFile so that Go's
// netpoller watches it.
type poller struct {
	file     *os.File
	rc       syscall.RawConn
	pollable bool
}

// lookup returns fd's entry, replacing one made for a file the fd no
// longer refers to.
func (tb *Table) lookup(fd int) *entry {
	id, ok := identOf(fd)
	tb.mu.Lock()
	e := tb.entries[fd]
	if e != nil && (!ok || e.ident == id) {
		tb.mu.Unlock()
		return e
	}
	stale := e
	e = &entry{fd: fd, ident: id}
	if !tb.closed {
		tb.entries[fd] = e
	}
	tb.mu.Unlock()
	if stale != nil {
		stale.closePoller() // it polls a file the fd no longer refers to
	}
	return e
}

// Adopt records fd as created by an eco binding for a script: the runtime
// closes it when it ends unless the script closed it first with
// [Table.Close]. It also makes fd nonblocking, as eco's fds are.
func (tb *Table) Adopt(fd int) error {
	if err := unix.SetNonblock(fd, true); err != nil {
		return fmt.Errorf("fdio: adopt fd %d: %w", fd, err)
	}
	e := tb.lookup(fd)
	tb.mu.Lock()
	e.owned = true
	tb.mu.Unlock()
	return nil
}

// Close is close(2) on fd, for any fd: a waiter on it wakes (with "Bad file
// descriptor" unless it was canceled meanwhile) and the table forgets it.
// Closing an fd that is not open returns the EBADF error.
func (tb *Table) Close(fd int) error {
	tb.mu.Lock()
	e := tb.entries[fd]
	delete(tb.entries, fd)
	tb.mu.Unlock()
	if e != nil {
		e.closePoller()
	}
	if err := unix.Close(fd); err != nil {
		return fmt.Errorf("fdio: close fd %d: %w", fd, err)
	}
	return nil
}

// shutdown wakes every wait and closes the adopted fds.
func (tb *Table) shutdown() {
	tb.mu.Lock()
	entries := tb.entries
	tb.entries = make(map[int]*entry)
	tb.closed = true
	tb.mu.Unlock()
	for fd, e := range entries {
		e.closePoller()
		if e.owned {
			_ = unix.Close(fd)
		}
	}
}

// acquirePoller returns the entry's poller, making it if no wait is using
// one; releasePoller gives it back. The poller lives only while waits use
// it: a dup kept longer would hold the file open after its owner closed
// its fd (a socket's peer would never see the close).
func (e *entry) acquirePoller() (*poller, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil, fmt.Errorf("fdio: poll fd %d: %w", e.fd, unix.EBADF)
	}
	if e.poller != nil {
		e.users++
		return e.poller, nil
	}
	dup, err := unix.FcntlInt(uintptr(e.fd), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("fdio: dup fd %d for polling: %w", e.fd, err)
	}
	f := os.NewFile(uintptr(dup), fmt.Sprintf("eco-fd-%d", e.fd))
	rc, err := f.SyscallConn()
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("fdio: poll fd %d: %w", e.fd, err)
	}
	// SetDeadline fails with ErrNoDeadline on a file the netpoller
	// refused; such a file is waited for with poll(2) instead.
	p := &poller{file: f, rc: rc, pollable: f.SetDeadline(time.Time{}) == nil}
	e.poller, e.users = p, 1
	return p, nil
}

func (e *entry) releasePoller(p *poller) {
	e.mu.Lock()
	if e.poller != p {
		// closePoller already closed it.
		e.mu.Unlock()
		return
	}
	e.users--
	if e.users > 0 {
		e.mu.Unlock()
		return
	}
	e.poller = nil
	e.mu.Unlock()
	_ = p.file.Close()
}

// isClosed reports whether the fd was closed through the table.
func (e *entry) isClosed() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.closed
}

// closePoller closes the poller under any wait using it, which wakes the
// wait, and keeps new ones from being made.
func (e *entry) closePoller() {
	e.mu.Lock()
	p := e.poller
	e.poller, e.users = nil, 0
	e.closed = true
	e.mu.Unlock()
	if p != nil {
		_ = p.file.Close()
	}
}

// kick ends a netpoller wait of ev at once, by moving its deadline into the
// past.
func (e *entry) kick(ev Events) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p := e.poller
	if p == nil || !p.pollable {
		return
	}
	past := time.Unix(1, 0)
	if ev&Read != 0 {
		_ = p.file.SetReadDeadline(past)
	}
	if ev&Write != 0 {
		_ = p.file.SetWriteDeadline(past)
	}
}
