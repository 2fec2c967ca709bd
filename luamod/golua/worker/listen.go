package worker

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/golua-ws/golua-ws/runtime"
)

// AcceptMode is how the workers of a pool share a listening port.
type AcceptMode int

const (
	// AcceptShared opens one socket per address and hands its
	// connections to the workers from one accept loop. The default: it
	// balances evenly from the first connection and loses nothing when a
	// worker stops listening (see the README's measurement).
	AcceptShared AcceptMode = iota
	// AcceptReusePort gives every worker a socket of its own bound with
	// SO_REUSEPORT; the kernel picks the socket by a hash of each
	// connection's addresses.
	AcceptReusePort
)

// String returns the mode's name as ParseAcceptMode reads it.
func (m AcceptMode) String() string {
	switch m {
	case AcceptShared:
		return "shared"
	case AcceptReusePort:
		return "reuseport"
	}
	return "AcceptMode(" + strconv.Itoa(int(m)) + ")"
}

// ParseAcceptMode reads "shared" or "reuseport".
func ParseAcceptMode(s string) (AcceptMode, error) {
	switch s {
	case "shared":
		return AcceptShared, nil
	case "reuseport":
		return AcceptReusePort, nil
	}
	return 0, fmt.Errorf("worker: accept mode must be 'shared' or 'reuseport', not %q", s)
}

// hubKey is the runtime service key of a pool's hub.
type hubKey struct{}

// withHub seeds a worker with its pool's hub.
func withHub(h *hub) runtime.Option { return runtime.WithService(hubKey{}, h) }

// hubOf returns rt's pool hub, or nil for a lone runtime. (The service is
// created as a typed nil when no pool seeded one, so the lookup stays a
// map read.)
func hubOf(rt *runtime.Runtime) *hub {
	return rt.Service(hubKey{}, func() any { return (*hub)(nil) }).(*hub)
}

// Listen opens a TCP listener for rt on network ("tcp", "tcp4", "tcp6") and
// address, with lc's settings (its Control runs on the socket before bind).
// A lone runtime gets lc.Listen's listener, as if it had called it itself.
// A pool's worker gets its share of the port, by the pool's AcceptMode; the
// listener's Close withdraws that worker only. Port 0 under a pool means one
// ephemeral port for all the workers: a worker's k-th port-0 listen on an
// address gets the same port as every other worker's k-th.
//
// Every listener of both dialects goes through here, so that they work under
// --workers unchanged. Errors are the ones net.Listen returns (an
// *net.OpError wrapping the system error).
func Listen(rt *runtime.Runtime, lc net.ListenConfig, network, address string) (net.Listener, error) {
	h := hubOf(rt)
	if h == nil {
		return lc.Listen(context.Background(), network, address)
	}
	return h.listen(rt, lc, network, address)
}

// slotKey names one shared port: the network and address asked for, and
// for port 0 the listen's rank among the worker's port-0 listens there.
type slotKey struct {
	network, address string
	rank             int
}

// hub is a pool's process-wide listening state, shared by its workers.
type hub struct {
	mode AcceptMode

	mu    sync.Mutex
	slots map[slotKey]*slot                   // AcceptShared: open shared sockets
	ports map[slotKey]int                     // port-0 slots: the port chosen first
	ranks map[*runtime.Runtime]map[string]int // port-0 listens so far, per worker and address
}

func newHub(mode AcceptMode) *hub {
	return &hub{
		mode:  mode,
		slots: make(map[slotKey]*slot),
		ports: make(map[slotKey]int),
		ranks: make(map[*runtime.Runtime]map[string]int),
	}
}

// forget drops a finished worker's port-0 counters.
func (h *hub) forget(rt *runtime.Runtime) {
	h.mu.Lock()
	delete(h.ranks, rt)
	h.mu.Unlock()
}

func (h *hub) listen(rt *runtime.Runtime, lc net.ListenConfig, network, address string) (net.Listener, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, &net.OpError{Op: "listen", Net: network, Err: err}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	key := slotKey{network: network, address: address}
	if port == "0" {
		// Workers run the same script, so their k-th port-0 listen on an
		// address is the same server: it gets the same port.
		r := h.ranks[rt]
		if r == nil {
			r = make(map[string]int)
			h.ranks[rt] = r
		}
		key.rank = r[network+" "+address]
		r[network+" "+address]++
	}
	if h.mode == AcceptReusePort {
		return h.listenReusePort(lc, key, host, port)
	}
	return h.listenShared(rt, lc, key)
}

// listenReusePort binds a socket of the worker's own with SO_REUSEPORT,
// on the port the first worker got when the address asked for port 0.
// h.mu held.
func (h *hub) listenReusePort(lc net.ListenConfig, key slotKey, host, port string) (net.Listener, error) {
	addr := key.address
	if p, ok := h.ports[key]; ok && port == "0" {
		addr = net.JoinHostPort(host, strconv.Itoa(p))
	}
	own := lc.Control
	lc.Control = func(network, address string, c syscall.RawConn) error {
		if own != nil {
			if err := own(network, address, c); err != nil {
				return err
			}
		}
		return SetReusePort(c)
	}
	ln, err := lc.Listen(context.Background(), key.network, addr)
	if err != nil {
		return nil, err
	}
	if port == "0" {
		if _, ok := h.ports[key]; !ok {
			h.ports[key] = ln.Addr().(*net.TCPAddr).Port
		}
	}
	return ln, nil
}

// SetReusePort sets SO_REUSEPORT on the socket c, for a net.ListenConfig's
// Control: the workers' reuseport mode and eco's listen option reuseport.
func SetReusePort(c syscall.RawConn) error {
	var serr error
	if err := c.Control(func(fd uintptr) {
		serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, soReusePort, 1)
	}); err != nil {
		return err
	}
	if serr != nil {
		return os.NewSyscallError("setsockopt SO_REUSEPORT", serr)
	}
	return nil
}

// listenShared joins the worker to the address's shared socket, opening it
// (and its accept loop) for the first worker. h.mu held.
func (h *hub) listenShared(rt *runtime.Runtime, lc net.ListenConfig, key slotKey) (net.Listener, error) {
	s := h.slots[key]
	if s == nil {
		addr := key.address
		if p, ok := h.ports[key]; ok {
			// Every worker left a port-0 socket and one listens again:
			// try for the port the others were told.
			host, _, _ := net.SplitHostPort(addr)
			addr = net.JoinHostPort(host, strconv.Itoa(p))
		}
		ln, err := lc.Listen(context.Background(), key.network, addr)
		if err != nil {
			return nil, err
		}
		if key.address != addr || isPortZero(key.address) {
			h.ports[key] = ln.Addr().(*net.TCPAddr).Port
		}
		s = &slot{hub: h, key: key, ln: ln, done: make(chan struct{}), space: make(chan struct{})}
		s.keys = append(s.keys, key)
		if bound := (slotKey{network: key.network, address: ln.Addr().String()}); bound != key {
			// A worker may name the port another one got from port 0.
			s.keys = append(s.keys, bound)
		}
		for _, k := range s.keys {
			h.slots[k] = s
		}
		go s.acceptLoop()
	} else if s.member(rt) != nil {
		// A lone runtime listening twice on one address gets EADDRINUSE
		// from the kernel; a worker gets the same from the hub.
		return nil, &net.OpError{Op: "listen", Net: key.network, Addr: s.ln.Addr(),
			Err: os.NewSyscallError("bind", syscall.EADDRINUSE)}
	}
	m := &member{slot: s, rt: rt, inbox: make(chan net.Conn, inboxSize), closed: make(chan struct{}),
		deadlineSet: make(chan struct{}, 1)}
	s.members = append(s.members, m)
	// A deal waiting for room (every other member full) can use this one.
	s.roomLocked()
	return m, nil
}

func isPortZero(address string) bool {
	_, port, err := net.SplitHostPort(address)
	return err == nil && port == "0"
}

// inboxSize is how many dealt connections a worker may hold before it
// accepts them; a worker holding this many is skipped. A small inbox makes
// a burst of connections favour whichever worker's accept loop happens to
// get back first (measured with 64 dials in flight: at 1 the busier of two
// workers got 53-66% of 100 connections, at 16 51-54% of 1,000, at 64
// exactly half); a large one strands more connections on a worker whose
// script stopped calling accept (they go to the others when it closes its
// listener). SO_REUSEPORT strands a whole kernel backlog in that case.
const inboxSize = 64

// slot is one shared socket and the workers listening on it.
type slot struct {
	hub  *hub
	key  slotKey   // the address asked for
	keys []slotKey // key and, if it differs, the address bound
	ln   net.Listener
	done chan struct{} // closed when the socket closes

	// hub.mu guards the rest.
	members []*member     // in the order they joined
	next    int           // the member to offer the next connection first
	space   chan struct{} // closed (and replaced) when a member takes a connection or joins
	err     error         // why the accept loop ended; read after done
}

// member returns rt's listener on the slot, or nil. hub.mu held.
func (s *slot) member(rt *runtime.Runtime) *member {
	for _, m := range s.members {
		if m.rt == rt {
			return m
		}
	}
	return nil
}

// acceptLoop accepts on the shared socket and deals the connections out.
func (s *slot) acceptLoop() {
	var backoff time.Duration
	for {
		c, err := s.ln.Accept()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			if errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE) || errors.Is(err, syscall.ECONNABORTED) {
				// Out of descriptors or a peer that gave up: retry, as
				// net/http does, instead of dropping the port.
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				select {
				case <-time.After(backoff):
					continue
				case <-s.done:
					return
				}
			}
			s.hub.mu.Lock()
			s.shutLocked(err)
			s.hub.mu.Unlock()
			return
		}
		backoff = 0
		s.deal(c)
	}
}

// deal hands c to the workers in turn. A member holding inboxSize
// connections it has not accepted yet is skipped (a worker whose script
// stopped calling accept); when every member is full, deal waits for space.
func (s *slot) deal(c net.Conn) {
	for {
		s.hub.mu.Lock()
		n := len(s.members)
		for i := 0; i < n; i++ {
			k := (s.next + i) % n
			select {
			case s.members[k].inbox <- c:
				s.next = (k + 1) % n
				s.hub.mu.Unlock()
				return
			default:
			}
		}
		space := s.space
		s.hub.mu.Unlock()
		select {
		case <-space:
		case <-s.done:
			_ = c.Close()
			return
		}
	}
}

// took tells a waiting deal that a member has room again.
func (s *slot) took() {
	s.hub.mu.Lock()
	s.roomLocked()
	s.hub.mu.Unlock()
}

// roomLocked wakes a deal waiting for room. hub.mu held.
func (s *slot) roomLocked() {
	close(s.space)
	s.space = make(chan struct{})
}

// shutLocked closes the socket once, recording why. hub.mu held.
func (s *slot) shutLocked(err error) {
	select {
	case <-s.done:
		return
	default:
	}
	s.err = err
	close(s.done)
	_ = s.ln.Close()
	for _, k := range s.keys {
		if s.hub.slots[k] == s {
			delete(s.hub.slots, k)
		}
	}
}

// leave withdraws m. A connection dealt to it but not accepted goes to the
// others; the last member out closes the socket (connections still in the
// kernel's queue are then refused, as when a lone runtime closes its
// listener).
func (s *slot) leave(m *member) {
	s.hub.mu.Lock()
	for i, x := range s.members {
		if x == m {
			s.members = append(s.members[:i], s.members[i+1:]...)
			break
		}
	}
	if s.next >= len(s.members) {
		s.next = 0
	}
	last := len(s.members) == 0
	if last {
		s.shutLocked(net.ErrClosed)
	}
	s.hub.mu.Unlock()
	// No deal reaches m now; take back what it was holding.
	for {
		select {
		case c := <-m.inbox:
			if last {
				_ = c.Close()
			} else {
				go s.deal(c)
			}
			continue
		default:
		}
		return
	}
}

// member is one worker's listener on a shared socket. Closing it withdraws
// the worker: connections go on to the others, none is lost.
type member struct {
	slot   *slot
	rt     *runtime.Runtime
	inbox  chan net.Conn // connections dealt to this worker, not yet accepted
	once   sync.Once
	closed chan struct{}

	mu          sync.Mutex
	deadline    time.Time
	deadlineSet chan struct{} // wakes an Accept when SetDeadline moves the deadline
}

var _ syscall.Conn = (*member)(nil)

// Accept waits for the next connection handed to this worker.
func (m *member) Accept() (net.Conn, error) {
	for {
		m.mu.Lock()
		dl := m.deadline
		m.mu.Unlock()
		var timer *time.Timer
		var expire <-chan time.Time
		if !dl.IsZero() {
			d := time.Until(dl)
			if d <= 0 {
				return nil, m.opErr(os.ErrDeadlineExceeded)
			}
			timer = time.NewTimer(d)
			expire = timer.C
		}
		c, err, again := m.wait(expire)
		if timer != nil {
			timer.Stop()
		}
		if !again {
			return c, err
		}
	}
}

// wait is one wait of Accept; again means the deadline moved.
func (m *member) wait(expire <-chan time.Time) (c net.Conn, err error, again bool) {
	select {
	case c := <-m.inbox:
		m.slot.took()
		return c, nil, false
	case <-m.closed:
		return nil, m.opErr(net.ErrClosed), false
	case <-m.slot.done:
		// The socket closed: every worker left, or accepting failed (say
		// why, as the socket's own Accept would have).
		if err := m.slot.err; err != nil && !errors.Is(err, net.ErrClosed) {
			return nil, err, false
		}
		return nil, m.opErr(net.ErrClosed), false
	case <-expire:
		return nil, m.opErr(os.ErrDeadlineExceeded), false
	case <-m.deadlineSet:
		return nil, nil, true
	}
}

func (m *member) opErr(err error) error {
	return &net.OpError{Op: "accept", Net: m.slot.key.network, Addr: m.slot.ln.Addr(), Err: err}
}

// Close withdraws the worker from the shared socket.
func (m *member) Close() error {
	first := false
	m.once.Do(func() {
		first = true
		close(m.closed)
		m.slot.leave(m)
	})
	if !first {
		return m.opErr(net.ErrClosed)
	}
	return nil
}

// Addr is the shared socket's address (with the port chosen for port 0).
func (m *member) Addr() net.Addr { return m.slot.ln.Addr() }

// SetDeadline bounds Accept, as (*net.TCPListener).SetDeadline does; the
// zero time means no deadline.
func (m *member) SetDeadline(t time.Time) error {
	m.mu.Lock()
	m.deadline = t
	m.mu.Unlock()
	select {
	case m.deadlineSet <- struct{}{}:
	default:
	}
	return nil
}

// SyscallConn reaches the shared socket (its descriptor is shared by every
// worker on the address).
func (m *member) SyscallConn() (syscall.RawConn, error) {
	sc, ok := m.slot.ln.(syscall.Conn)
	if !ok {
		return nil, m.opErr(errors.ErrUnsupported)
	}
	return sc.SyscallConn()
}
