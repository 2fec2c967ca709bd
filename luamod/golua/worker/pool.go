package worker

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/golua-ws/golua-ws/runtime"
)

// Config describes a Pool.
type Config struct {
	// Workers is the number of runtimes (default 1). One worker is a lone
	// runtime: its listeners are plain sockets, exactly as without a pool.
	Workers int
	// Accept is how the workers share listening ports (default
	// AcceptShared).
	Accept AcceptMode
	// Options apply to every worker, before its identity and hub (the
	// golua-ws command passes its output, limits and timeouts here; a host
	// passes process-wide services, such as a message bus).
	Options []runtime.Option
	// WorkerOptions, when set, adds options for worker id (1..Workers)
	// after Options.
	WorkerOptions func(id int) []runtime.Option
	// Setup runs on each new runtime before any script, to register modules
	// (luamod.Register for both dialects; this package does not import
	// luamod, which imports it). golua.worker is registered either way.
	Setup func(rt *runtime.Runtime)
}

// ErrStarted is returned by Start and Run on a pool that already started.
var ErrStarted = errors.New("worker: pool already started")

// Pool runs one script on N runtimes sharing the process's listening ports.
//
// Lifetime: NewPool makes the runtimes; Start runs main on each of them;
// Wait returns when every worker has ended. A worker ends when its runtime
// exits (os.exit, an error in the main chunk, a signal's shutdown) or when
// it becomes idle (nothing left that could run). A worker that exits makes
// the pool shut the other workers down gracefully, with its exit code, so
// the process behaves as one program; a worker that merely becomes idle
// leaves the others running. The pool's exit code is the first non-zero
// code among the workers, else 0.
//
// Every method is safe from any goroutine.
type Pool struct {
	rts []*runtime.Runtime
	hub *hub // nil for one worker

	mu      sync.Mutex
	started bool
	code    int // first non-zero worker exit code

	ended   chan struct{} // closed when every worker has ended
	endOnce sync.Once
}

// NewPool makes cfg.Workers runtimes, each with cfg.Options,
// cfg.WorkerOptions(id), its identity (golua.worker) and, with more than
// one worker, the pool's listener hub; then runs cfg.Setup on each.
func NewPool(cfg Config) (*Pool, error) {
	n := cfg.Workers
	if n == 0 {
		n = 1
	}
	if n < 0 {
		return nil, fmt.Errorf("worker: pool needs at least one worker, not %d", n)
	}
	if cfg.Accept != AcceptShared && cfg.Accept != AcceptReusePort {
		return nil, fmt.Errorf("worker: unknown accept mode %v", cfg.Accept)
	}
	p := &Pool{ended: make(chan struct{})}
	if n > 1 {
		p.hub = newHub(cfg.Accept)
	}
	for id := 1; id <= n; id++ {
		opts := append([]runtime.Option(nil), cfg.Options...)
		if cfg.WorkerOptions != nil {
			opts = append(opts, cfg.WorkerOptions(id)...)
		}
		opts = append(opts, WithIdentity(id, n))
		if p.hub != nil {
			opts = append(opts, withHub(p.hub))
		}
		rt := runtime.New(opts...)
		Register(rt)
		if cfg.Setup != nil {
			cfg.Setup(rt)
		}
		p.rts = append(p.rts, rt)
	}
	return p, nil
}

// Runtimes returns the workers' runtimes; worker id i is Runtimes()[i-1].
func (p *Pool) Runtimes() []*runtime.Runtime { return append([]*runtime.Runtime(nil), p.rts...) }

// Start runs main on every worker (typically rt.RunFile(script, args...))
// and returns at once. main is called on the caller's goroutine, once per
// worker in id order; it should start the script, not wait for it.
func (p *Pool) Start(main func(rt *runtime.Runtime)) error {
	p.mu.Lock()
	if p.started {
		p.mu.Unlock()
		return ErrStarted
	}
	p.started = true
	p.mu.Unlock()
	var wg sync.WaitGroup
	for _, rt := range p.rts {
		main(rt)
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.supervise(rt)
		}()
	}
	go func() {
		wg.Wait()
		p.endOnce.Do(func() { close(p.ended) })
	}()
	return nil
}

// supervise waits for one worker to end and applies the pool's rules.
func (p *Pool) supervise(rt *runtime.Runtime) {
	code, _ := rt.Wait(context.Background())
	exited := false
	select {
	case <-rt.Done():
		exited = true
	default:
	}
	// An idle worker is over: release it as the lone command does.
	rt.Exit(code)
	if p.hub != nil {
		p.hub.forget(rt)
	}
	p.mu.Lock()
	if p.code == 0 {
		p.code = code
	}
	p.mu.Unlock()
	if exited {
		// One worker's exit is the program's: shut the others down
		// gracefully, each bounded by its shutdown timeout.
		for _, other := range p.rts {
			if other == rt {
				continue
			}
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), other.ShutdownTimeout())
				defer cancel()
				_ = other.Shutdown(ctx, code)
			}()
		}
	}
}

// Wait blocks until every worker has ended and returns the pool's exit code
// (the first non-zero worker code, else 0), or ctx's error.
func (p *Pool) Wait(ctx context.Context) (int, error) {
	select {
	case <-p.ended:
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.code, nil
	case <-ctx.Done():
		return -1, ctx.Err()
	}
}

// Done is closed once every worker has ended (after Start).
func (p *Pool) Done() <-chan struct{} { return p.ended }

// Run is Start and Wait. When ctx ends first, the pool shuts down
// gracefully (each worker bounded by its shutdown timeout) and Run returns
// its exit code with ctx's error.
func (p *Pool) Run(ctx context.Context, main func(rt *runtime.Runtime)) (int, error) {
	if err := p.Start(main); err != nil {
		return -1, err
	}
	code, err := p.Wait(ctx)
	if err == nil {
		return code, nil
	}
	_ = p.Shutdown(context.Background(), 0)
	code, _ = p.Wait(context.Background())
	return code, err
}

// Shutdown shuts every worker down gracefully (runtime.Shutdown: listeners
// stop, in-flight requests finish, WebSockets get close 1001) with exit
// code, each bounded by ctx and by its own shutdown timeout, and waits for
// all of them. It returns ctx's error if some worker's hooks did not finish
// in time.
func (p *Pool) Shutdown(ctx context.Context, code int) error {
	errs := make([]error, len(p.rts))
	var wg sync.WaitGroup
	for i, rt := range p.rts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sctx, cancel := context.WithTimeout(ctx, rt.ShutdownTimeout())
			defer cancel()
			errs[i] = rt.Shutdown(sctx, code)
		}()
	}
	wg.Wait()
	p.mu.Lock()
	started := p.started
	p.mu.Unlock()
	if !started {
		p.endOnce.Do(func() { close(p.ended) })
	}
	return errors.Join(errs...)
}

// Signal delivers sig to every worker (runtime.Signal): SIGTERM and SIGINT
// start each one's graceful shutdown (a second one exits at once), SIGHUP
// reloads each one's changed modules, and a script's own handlers run in
// every worker.
func (p *Pool) Signal(sig os.Signal) {
	for _, rt := range p.rts {
		rt.Signal(sig)
	}
}
