package runtime

import "sync"

// services holds the per-runtime objects that several modules share (the
// registry of live WebSocket connections that both dialects use, for one).
type services struct {
	mu sync.Mutex
	m  map[any]any
}

// WithService gives the runtime v as its object for key before anything runs,
// so that Service(key, ...) returns v instead of making a new one. A host
// that runs several runtimes in one process (a worker pool) uses it to hand
// each of them the same process-wide object, such as the in-process message
// bus that connects them.
func WithService(key, v any) Option {
	return func(o *options) {
		if o.services == nil {
			o.services = make(map[any]any)
		}
		o.services[key] = v
	}
}

// Service returns the runtime's object for key, making it with create on
// first use. Modules use an unexported key type, as with context values, so
// that state shared by the eco and silly bindings lives once per runtime
// rather than in package variables. Safe from any goroutine.
func (rt *Runtime) Service(key any, create func() any) any {
	s := &rt.services
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.m[key]; ok {
		return v
	}
	if s.m == nil {
		s.m = make(map[any]any)
	}
	v := create()
	s.m[key] = v
	return v
}
