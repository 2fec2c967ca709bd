package hive

import (
	"sync"
	"time"
)

// idleTimeout is how long a pool thread must have been idle before prune
// may retire it. silly uses 60 s in release builds and 5 s in the build its
// tests run against; a goroutine is cheap to start again, so golua-ws uses
// the shorter one always.
const idleTimeout = 5 * time.Second

// pool is silly's hive thread pool: threads are goroutines, each with its
// own FIFO of jobs, started on demand up to max and retired by prune when
// idle beyond min. Safe from any goroutine.
type pool struct {
	mu         sync.Mutex
	min, max   int
	threads    []*poolThread
	busy       int // threads running a job
	waiting    int // jobs queued and not yet started
	roundRobin int
	closed     bool
}

type poolThread struct {
	queue     []func() // guarded by pool.mu
	idle      bool
	idleSince time.Time
	shutdown  bool
	wake      chan struct{} // capacity 1: "look at your queue again"
}

func newPool(cpus int) *pool {
	return &pool{min: cpus, max: 2 * cpus}
}

// setLimit is hive.limit(min, max); the caller has checked the bounds.
func (p *pool) setLimit(min, max int) {
	p.mu.Lock()
	p.min, p.max = min, max
	p.mu.Unlock()
}

// live is hive.threads(): the threads started and not retired.
func (p *pool) live() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.threads)
}

// push queues job, starting a thread first when no idle thread is left for
// it and the pool is below max (silly's rule), and hands it to the threads
// in turn. It reports false after close.
func (p *pool) push(job func()) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	idle := len(p.threads) - p.busy
	if idle-p.waiting <= 0 && len(p.threads) < p.max {
		th := &poolThread{wake: make(chan struct{}, 1)}
		p.threads = append(p.threads, th)
		go p.run(th)
	}
	th := p.threads[p.roundRobin%len(p.threads)]
	p.roundRobin++
	th.queue = append(th.queue, job)
	p.waiting++
	wake(th)
	return true
}

func wake(th *poolThread) {
	select {
	case th.wake <- struct{}{}:
	default:
	}
}

func (p *pool) run(th *poolThread) {
	p.mu.Lock()
	for {
		for len(th.queue) == 0 && !th.shutdown {
			th.idle = true
			th.idleSince = time.Now()
			p.mu.Unlock()
			<-th.wake
			p.mu.Lock()
			th.idle = false
		}
		if len(th.queue) == 0 { // shut down with nothing left to do
			p.mu.Unlock()
			return
		}
		job := th.queue[0]
		th.queue[0] = nil
		th.queue = th.queue[1:]
		p.waiting--
		p.busy++
		p.mu.Unlock()
		job()
		p.mu.Lock()
		p.busy--
	}
}

// prune retires threads that have been idle longer than idleTimeout, while
// more than min are live.
func (p *pool) prune(now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	kill := len(p.threads) - p.min
	if kill <= 0 {
		return
	}
	deadline := now.Add(-idleTimeout)
	kept := p.threads[:0]
	for _, th := range p.threads {
		if kill > 0 && th.idle && len(th.queue) == 0 && th.idleSince.Before(deadline) {
			kill--
			th.shutdown = true
			wake(th)
			continue
		}
		kept = append(kept, th)
	}
	for i := len(kept); i < len(p.threads); i++ {
		p.threads[i] = nil
	}
	p.threads = kept
}

// close stops every thread once its queue is empty and refuses new jobs.
func (p *pool) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	for _, th := range p.threads {
		th.shutdown = true
		wake(th)
	}
	p.threads = nil
}
