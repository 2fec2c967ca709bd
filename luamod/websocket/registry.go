package websocket

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/golua-ws/golua-ws/runtime"
)

// tickEvery is the registry clock's period: write timeouts are checked
// at this resolution.
const tickEvery = 250 * time.Millisecond

// Registry holds a runtime's live connections, of both dialects. Safe from
// any goroutine.
type Registry struct {
	mu      sync.Mutex
	head    *Conn
	n       int
	state   int // regOpen, regDraining, regClosed
	ticking bool
	// tick counts tickEvery periods while connections are live; a write
	// records the tick it began at.
	tick atomic.Int64
}

const (
	regOpen = iota
	regDraining
	regClosed
)

type registryKey struct{}

// RegistryOf returns rt's registry, created on first use: it registers the
// shutdown hook (close 1001 to every connection) and the close at the
// runtime's exit.
func RegistryOf(rt *runtime.Runtime) *Registry {
	return rt.Service(registryKey{}, func() any {
		g := &Registry{}
		g.tick.Store(1)
		rt.OnShutdown(g.shutdown)
		context.AfterFunc(rt.Context(), g.closeAll)
		return g
	}).(*Registry)
}

// Len returns the number of live connections.
func (g *Registry) Len() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.n
}

func (g *Registry) add(c *Conn) {
	g.mu.Lock()
	switch g.state {
	case regDraining:
		g.mu.Unlock()
		c.cause.CompareAndSwap(nil, errGoingAway)
		go func() { _ = c.ws.Close(errGoingAway.Code, errGoingAway.Reason) }()
		return
	case regClosed:
		g.mu.Unlock()
		_ = c.ws.CloseNow()
		return
	}
	c.next = g.head
	if g.head != nil {
		g.head.prev = c
	}
	g.head = c
	c.linked = true
	g.n++
	if c.m != nil {
		c.m.Open.Inc()
	}
	start := !g.ticking
	g.ticking = true
	g.mu.Unlock()
	if start {
		go g.clock()
	}
}

func (g *Registry) remove(c *Conn) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !c.linked {
		return
	}
	if c.prev != nil {
		c.prev.next = c.next
	} else {
		g.head = c.next
	}
	if c.next != nil {
		c.next.prev = c.prev
	}
	c.prev, c.next, c.linked = nil, nil, false
	g.n--
	if c.m != nil {
		c.m.Open.Dec()
	}
}

// snapshot returns the live connections.
func (g *Registry) snapshot() []*Conn {
	all := make([]*Conn, 0, g.n)
	for c := g.head; c != nil; c = c.next {
		all = append(all, c)
	}
	return all
}

// clock advances the tick and fails the connections whose write has taken
// longer than their write timeout. It runs while connections are live.
func (g *Registry) clock() {
	t := time.NewTicker(tickEvery)
	defer t.Stop()
	var late []*Conn
	for range t.C {
		now := g.tick.Add(1)
		g.mu.Lock()
		if g.n == 0 || g.state == regClosed {
			g.ticking = false
			g.mu.Unlock()
			return
		}
		late = late[:0]
		for c := g.head; c != nil; c = c.next {
			if w := c.writing.Load(); w != 0 && c.writeTicks > 0 && now-w > c.writeTicks {
				late = append(late, c)
			}
			g.watchIdle(c)
		}
		g.mu.Unlock()
		for i, c := range late {
			c.Fail(errTimeout)
			late[i] = nil
		}
	}
}

// watchIdle asks c's reader to park once one read wait has lasted
// idleAfter ticks. g.mu held (the clock's fields of c).
func (g *Registry) watchIdle(c *Conn) {
	if c.sock == nil || !c.inWait.Load() {
		c.idleTicks = 0
		return
	}
	if w := c.waits.Load(); w != c.seenWaits {
		c.seenWaits, c.idleTicks = w, 0
		return
	}
	c.idleTicks++
	if c.idleTicks == idleAfter {
		c.requestPark()
	}
}

// shutdown is the runtime's OnShutdown hook: close 1001 "going away" to
// every live connection, concurrently, each close handshake bounded by
// wscore's CloseTimeout; it returns when all are done or ctx ends (the
// runtime's exit then closes the rest).
func (g *Registry) shutdown(ctx context.Context) {
	g.mu.Lock()
	if g.state != regOpen {
		g.mu.Unlock()
		return
	}
	g.state = regDraining
	all := g.snapshot()
	g.mu.Unlock()
	var wg sync.WaitGroup
	for _, c := range all {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.cause.CompareAndSwap(nil, errGoingAway)
			_ = c.ws.Close(errGoingAway.Code, errGoingAway.Reason)
			g.remove(c)
		}()
	}
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
	}
}

// closeAll closes every connection at once: the runtime has exited.
func (g *Registry) closeAll() {
	g.mu.Lock()
	g.state = regClosed
	all := g.snapshot()
	for _, c := range all {
		c.prev, c.next, c.linked = nil, nil, false
		if c.m != nil {
			c.m.Open.Dec()
		}
	}
	g.head, g.n = nil, 0
	g.mu.Unlock()
	for _, c := range all {
		_ = c.ws.CloseNow()
	}
}
