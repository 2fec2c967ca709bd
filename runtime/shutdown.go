package runtime

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// DefaultShutdownTimeout bounds a graceful shutdown (Shutdown, SIGTERM,
// SIGINT, Close) when WithShutdownTimeout is not given.
const DefaultShutdownTimeout = 10 * time.Second

// WithShutdownTimeout sets how long a graceful shutdown started by SIGTERM,
// SIGINT or Close waits for in-flight HTTP requests to finish and for
// WebSocket peers to answer the 1001 close frame, before the runtime exits
// and closes what is left. Zero or negative means DefaultShutdownTimeout.
func WithShutdownTimeout(d time.Duration) Option {
	return func(o *options) { o.shutdownTimeout = d }
}

// ShutdownTimeout returns the bound of a graceful shutdown.
func (rt *Runtime) ShutdownTimeout() time.Duration {
	if rt.opts.shutdownTimeout <= 0 {
		return DefaultShutdownTimeout
	}
	return rt.opts.shutdownTimeout
}

// shutdownState is the runtime's graceful-shutdown bookkeeping.
type shutdownState struct {
	mu       sync.Mutex
	hooks    map[*shutdownHook]struct{}
	started  bool
	draining chan struct{} // closed when Shutdown begins
}

type shutdownHook struct{ fn func(ctx context.Context) }

func (s *shutdownState) init() {
	s.hooks = make(map[*shutdownHook]struct{})
	s.draining = make(chan struct{})
}

// OnShutdown registers fn to run when a graceful shutdown begins. Modules
// stop accepting there (listeners close, net/http's Server.Shutdown) and
// close their connections politely (WebSocket close 1001), returning once
// they are done or ctx ends, whichever is first. Hooks run concurrently,
// without the token; the runtime exits once every hook has returned or the
// shutdown timeout passed. A hook registered after the shutdown began runs
// at once, on its own goroutine. The returned function unregisters fn (a
// listener that stopped on its own). Safe from any goroutine.
func (rt *Runtime) OnShutdown(fn func(ctx context.Context)) (remove func()) {
	s := &rt.shut
	h := &shutdownHook{fn: fn}
	s.mu.Lock()
	if s.started {
		s.mu.Unlock()
		go fn(rt.ctx)
		return func() {}
	}
	s.hooks[h] = struct{}{}
	s.mu.Unlock()
	return func() {
		s.mu.Lock()
		delete(s.hooks, h)
		s.mu.Unlock()
	}
}

// Draining is closed when a graceful shutdown has begun: new work should
// be refused (an HTTP server answers 503, a listener stops accepting).
func (rt *Runtime) Draining() <-chan struct{} { return rt.shut.draining }

// Shutdown shuts the runtime down gracefully: it runs the OnShutdown hooks
// (stop accepting, let in-flight HTTP requests finish, send close 1001 to
// every WebSocket and wait for the peers' replies), waits for them until
// ctx ends, then exits with code, which closes whatever is still open. Only
// the first call does the work; later calls wait for the runtime to exit
// (or ctx). It returns ctx.Err() when the hooks did not finish in time.
// Safe from any goroutine.
func (rt *Runtime) Shutdown(ctx context.Context, code int) error {
	s := &rt.shut
	s.mu.Lock()
	if s.started {
		s.mu.Unlock()
		select {
		case <-rt.exited:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	s.started = true
	close(s.draining)
	hooks := make([]*shutdownHook, 0, len(s.hooks))
	for h := range s.hooks {
		hooks = append(hooks, h)
	}
	s.hooks = nil
	s.mu.Unlock()
	// Every end of a runtime passes here, an idle one too: debug, but for
	// a shutdown cut short.
	rt.record(slog.LevelDebug, "graceful shutdown started", slog.Int("hooks", len(hooks)), slog.Int("exit_code", code))

	// Hooks see a context that also ends when the runtime exits some
	// other way (os.exit from a task) so none outlives it.
	hctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(rt.ctx, cancel)
	defer stop()
	var wg sync.WaitGroup
	for _, h := range hooks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h.fn(hctx)
		}()
	}
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	var err error
	select {
	case <-done:
	case <-hctx.Done():
		err = ctx.Err()
	}
	if err != nil {
		rt.record(slog.LevelWarn, "graceful shutdown cut short, closing what is left", slog.String("error", err.Error()))
	} else {
		rt.record(slog.LevelDebug, "graceful shutdown done")
	}
	rt.Exit(code)
	return err
}

// shutdownOnSignal is the default action of SIGTERM and SIGINT: a graceful
// shutdown bounded by the shutdown timeout. A second signal while it runs
// exits at once.
func (rt *Runtime) shutdownOnSignal(code int) {
	rt.shut.mu.Lock()
	started := rt.shut.started
	rt.shut.mu.Unlock()
	if started {
		rt.Exit(code)
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), rt.ShutdownTimeout())
		defer cancel()
		_ = rt.Shutdown(ctx, code)
	}()
}
