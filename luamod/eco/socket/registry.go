package socket

import (
	"net"
	"sync"

	"github.com/golua-ws/golua-ws/runtime"
)

// Registry closes the connections of its sockets when it is closed. A
// binding that keeps many long-lived sockets (eco.http.server: one per
// taken-over connection) closes them at the runtime's exit through one
// registry rather than through a context.AfterFunc per socket, which keeps
// about 200 bytes per socket alive (and makes as much garbage) for as long
// as it is open. A socket handed to a WebSocket (Detach) leaves it: the
// connection layer's registry (luamod/websocket) closes it then.
// Safe from any goroutine.
type Registry struct {
	mu     sync.Mutex
	closed bool
	head   *Socket // sockets not closed yet, linked through regPrev/regNext
}

// NewRegistry returns an open, empty Registry.
func NewRegistry() *Registry { return &Registry{} }

// WrapIn is Wrap for a connection that reg closes when it is closed,
// instead of the runtime's exit doing it directly. A Registry closed
// already closes conn at once (the Socket then reads and writes errors).
func WrapIn(reg *Registry, rt *runtime.Runtime, conn net.Conn, buffered []byte) *Socket {
	s := newSocket(rt, conn, buffered)
	s.reg = reg
	if !reg.add(s) {
		_ = conn.Close()
	}
	return s
}

func (g *Registry) add(s *Socket) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return false
	}
	s.regNext = g.head
	if g.head != nil {
		g.head.regPrev = s
	}
	g.head = s
	return true
}

// remove unlinks s once it is closed.
func (g *Registry) remove(s *Socket) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return // Close unlinked every socket
	}
	if s.regPrev != nil {
		s.regPrev.regNext = s.regNext
	} else if g.head == s {
		g.head = s.regNext
	}
	if s.regNext != nil {
		s.regNext.regPrev = s.regPrev
	}
	s.regPrev, s.regNext = nil, nil
}

// Close closes the connection of every socket still registered (blocked
// reads and writes on them return) and of every socket wrapped in the
// registry later. It is idempotent.
func (g *Registry) Close() {
	g.mu.Lock()
	if g.closed {
		g.mu.Unlock()
		return
	}
	g.closed = true
	var conns []net.Conn
	for s := g.head; s != nil; {
		next := s.regNext
		conns = append(conns, s.conn)
		s.regPrev, s.regNext = nil, nil
		s = next
	}
	g.head = nil
	g.mu.Unlock()
	for _, c := range conns {
		_ = c.Close()
	}
}
