package runtime

import (
	"sync"
	"syscall"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"
)

// poller is the runtime's epoll instance for parked tasks and the goroutine
// that waits on it. A parked task's socket is registered level-triggered
// and one-shot (data that arrived before the registration is reported at
// once; an event is delivered once), under a key of that park, so that an
// event left over from an earlier park is recognised and dropped. The
// socket's own descriptor is registered, not a dup (which would double
// the descriptors an idle server holds), and only inside the socket's
// RawConn.Control, while Go keeps the descriptor from being closed: a
// descriptor number reused after the connection closed is never touched.
// A registration is never deleted: one-shot leaves it disabled after its
// event, the next park re-arms it (EPOLL_CTL_MOD), and closing the socket
// removes it.
type poller struct {
	epfd   int
	wakefd int // an eventfd: written to stop the loop
	mu     sync.Mutex
	parked map[uint64]*parking
	next   uint64
	closed bool
}

// parker returns the runtime's poller, starting it on first use; nil if
// the kernel refused one. Token required.
func (rt *Runtime) parker() *poller {
	if pk := rt.pk.Load(); pk != nil {
		return pk
	}
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil
	}
	wakefd, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	if err != nil {
		_ = unix.Close(epfd)
		return nil
	}
	ev := unix.EpollEvent{Events: unix.EPOLLIN} // key 0
	if err := unix.EpollCtl(epfd, unix.EPOLL_CTL_ADD, wakefd, &ev); err != nil {
		_ = unix.Close(epfd)
		_ = unix.Close(wakefd)
		return nil
	}
	pk := &poller{epfd: epfd, wakefd: wakefd, parked: make(map[uint64]*parking)}
	rt.pk.Store(pk)
	go rt.pollLoop(pk)
	go rt.pollShutdown(pk)
	return pk
}

// newParking prepares a park on conn's socket. nil: the socket cannot be
// parked (no descriptor, no poller). Token required.
func (rt *Runtime) newParking(t *Task, conn syscall.Conn, retry func(L *lua.LState) int, nret int) *parking {
	pk := rt.parker()
	if pk == nil {
		return nil
	}
	raw, err := conn.SyscallConn()
	if err != nil {
		return nil
	}
	return &parking{t: t, raw: raw, retry: retry, nret: nret}
}

// park registers p and gives the token away; the calling goroutine must
// then end without touching t. Token required.
func (t *Task) park(p *parking) {
	rt := t.rt
	pk := rt.pk.Load()
	// p belongs to whoever claims it once it is in the map: read what the
	// registration needs before then.
	raw := p.raw
	pk.mu.Lock()
	wakeNow := pk.closed
	var key uint64
	if !wakeNow {
		pk.next++
		key = pk.next
		p.key = key
		pk.parked[key] = p
		t.parkKey = key
	}
	pk.mu.Unlock()
	if !wakeNow {
		ev := unix.EpollEvent{
			Events: unix.EPOLLIN | unix.EPOLLRDHUP | unix.EPOLLONESHOT,
			Fd:     int32(uint32(key)),
			Pad:    int32(uint32(key >> 32)),
		}
		var err error
		cerr := raw.Control(func(fd uintptr) {
			err = unix.EpollCtl(pk.epfd, unix.EPOLL_CTL_ADD, int(fd), &ev)
			if err == unix.EEXIST {
				err = unix.EpollCtl(pk.epfd, unix.EPOLL_CTL_MOD, int(fd), &ev)
			}
		})
		if cerr != nil || err != nil {
			// Not parkable after all: resume at once, and retry waits
			// the ordinary way.
			// Claimed by nobody else: no event can come for it.
			wakeNow = pk.claim(key) != nil
		}
	}
	t.release()
	if wakeNow {
		go rt.resumeParked(p)
	}
}

// claim takes the parking registered under key, if it is still parked.
func (pk *poller) claim(key uint64) *parking {
	pk.mu.Lock()
	p := pk.parked[key]
	delete(pk.parked, key)
	pk.mu.Unlock()
	return p
}

// Unpark resumes t if it is parked, as if its socket had become readable:
// the connection layer calls it when it closes a connection locally, so
// that the parked read sees the close. Safe from any goroutine.
func (t *Task) Unpark() bool {
	pk := t.rt.pk.Load()
	if pk == nil {
		return false
	}
	pk.mu.Lock()
	p := pk.parked[t.parkKey]
	if p != nil && p.t == t {
		delete(pk.parked, p.key)
	} else {
		p = nil
	}
	pk.mu.Unlock()
	if p == nil {
		return false
	}
	go t.rt.resumeParked(p)
	return true
}

// ParkedTasks returns how many tasks are parked. Safe from any goroutine.
func (rt *Runtime) ParkedTasks() int {
	pk := rt.pk.Load()
	if pk == nil {
		return 0
	}
	pk.mu.Lock()
	defer pk.mu.Unlock()
	return len(pk.parked)
}

func (rt *Runtime) pollLoop(pk *poller) {
	events := make([]unix.EpollEvent, 128)
	for {
		n, err := unix.EpollWait(pk.epfd, events, -1)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return
		}
		for i := range n {
			key := uint64(uint32(events[i].Fd)) | uint64(uint32(events[i].Pad))<<32
			if key == 0 {
				_ = unix.Close(pk.epfd)
				_ = unix.Close(pk.wakefd)
				return
			}
			if p := pk.claim(key); p != nil {
				go rt.resumeParked(p)
			}
		}
	}
}

// pollShutdown wakes every parked task when the runtime exits (each then
// ends holding the token, as blocked tasks do) and stops the loop.
func (rt *Runtime) pollShutdown(pk *poller) {
	<-rt.ctx.Done()
	pk.mu.Lock()
	pk.closed = true
	all := make([]*parking, 0, len(pk.parked))
	for k, p := range pk.parked {
		all = append(all, p)
		delete(pk.parked, k)
	}
	pk.mu.Unlock()
	for _, p := range all {
		go rt.resumeParked(p)
	}
	var one [8]byte
	one[0] = 1
	_, _ = unix.Write(pk.wakefd, one[:])
}
