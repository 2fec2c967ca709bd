package bus

import "github.com/golua-ws/golua-ws/runtime"

// serviceKey is the runtime service key of a runtime's bus.
type serviceKey struct{}

// WithBus gives a runtime b as its bus. A host passes the same b to every
// runtime (worker) that should share it; the host owns b and closes it
// after the runtimes.
func WithBus(b Bus) runtime.Option { return runtime.WithService(serviceKey{}, b) }

// From returns rt's bus: the one given with WithBus, or else a Local bus
// of rt's own, made on first use and closed when rt closes.
func From(rt *runtime.Runtime) Bus {
	return rt.Service(serviceKey{}, func() any {
		l := NewLocal()
		rt.OnClose(func() { _ = l.Close() })
		return Bus(l)
	}).(Bus)
}
