package metrics

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/golua-ws/golua-ws/wscore"
	"github.com/prometheus/client_golang/prometheus"
)

func TestHandshakeReason(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{fmt.Errorf("accept: %w", wscore.ErrBadHandshake), "bad_handshake"},
		{fmt.Errorf("dial: %w", wscore.ErrTLSHandshake), "tls"},
		{fmt.Errorf("dial: %w", context.DeadlineExceeded), "timeout"},
		{context.Canceled, "canceled"},
		{&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}, "network"},
		{errors.New("something else"), "other"},
	} {
		if got := HandshakeReason(c.err); got != c.want {
			t.Errorf("HandshakeReason(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}

func TestNewRefusesARegistryThatHasThem(t *testing.T) {
	reg := prometheus.NewRegistry()
	if _, err := New(reg); err != nil {
		t.Fatal(err)
	}
	if _, err := New(reg); err == nil || !strings.Contains(err.Error(), "metrics: register") {
		t.Fatalf("second New on one registry: %v, want a registration error", err)
	}
}

func TestExportSharesByNameAndRefusesAnotherShape(t *testing.T) {
	s, err := New(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.export(newFamily(kindCounter, "app_total", "help", []string{"x"}, nil))
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.export(newFamily(kindCounter, "app_total", "help", []string{"x"}, nil))
	if err != nil || b != a {
		t.Fatalf("same shape again: %p %v, want the first family %p", b, err, a)
	}
	if _, err := s.export(newFamily(kindGauge, "app_total", "help", []string{"x"}, nil)); err == nil {
		t.Fatal("same name as a gauge: no error")
	}
	if _, err := s.export(newFamily(kindCounter, "app_total", "help", []string{"y"}, nil)); err == nil {
		t.Fatal("same name with other labels: no error")
	}
	// A script may not take a name golua-ws uses.
	if _, err := s.export(newFamily(kindGauge, "golua_ws_connections_open", "mine", nil, nil)); err == nil {
		t.Fatal("a built-in name: no error")
	}
	if _, err := s.export(newFamily(kindCounter, "", "x", nil, nil)); err == nil {
		t.Fatal("an empty name: no error")
	}
}

func TestHistogramBucketsAreSortedAndDeduplicated(t *testing.T) {
	f := newFamily(kindHistogram, "h", "h", nil, []float64{5, 1, 5, 2})
	if fmt.Sprint(f.buckets) != "[1 2 5]" {
		t.Fatalf("buckets %v", f.buckets)
	}
	f.single.(prometheus.Histogram).Observe(3)
	counts, n, sum := bucketCounts(f.single)
	if fmt.Sprint(counts) != "[0 0 1]" || n != 1 || sum != 3 {
		t.Fatalf("counts %v count %d sum %v", counts, n, sum)
	}
}
