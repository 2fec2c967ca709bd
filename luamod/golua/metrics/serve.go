package metrics

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// NewRegistry returns a registry holding a Set's metrics and the standard
// Go runtime and process collectors (GC, heap, goroutines, CPU, file
// descriptors): what the golua-ws command serves. Gopher-lua allocates
// the VM's memory on the Go heap, so the Go collector's heap figures are
// the Lua memory.
func NewRegistry() (*prometheus.Registry, *Set, error) {
	reg := prometheus.NewRegistry()
	if err := reg.Register(collectors.NewGoCollector()); err != nil {
		return nil, nil, fmt.Errorf("metrics: register the Go collector: %w", err)
	}
	if err := reg.Register(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})); err != nil {
		return nil, nil, fmt.Errorf("metrics: register the process collector: %w", err)
	}
	s, err := New(reg)
	if err != nil {
		return nil, nil, err
	}
	return reg, s, nil
}

// Serve serves g's metrics at /metrics on addr until ctx ends, and
// returns the address it listens on (addr may use port 0).
func Serve(ctx context.Context, addr string, g prometheus.Gatherer) (net.Addr, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics: listen %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(g, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	go func() { _ = srv.Serve(ln) }()
	return ln.Addr(), nil
}
