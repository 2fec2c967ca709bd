package metrics

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// BenchmarkPerMessageCost is what metrics add to one echoed message, the
// part that end-to-end benchmarks on a shared machine cannot resolve: the
// layer's four counter adds (a message and its bytes in, and out) and the
// scheduler's token wait (a clock read when queued, one observation when
// granted).
func BenchmarkPerMessageCost(b *testing.B) {
	s, err := New(prometheus.NewRegistry())
	if err != nil {
		b.Fatal(err)
	}
	c := s.Conn("eco", false)
	epoch := time.Now()
	b.ReportAllocs()
	for range b.N {
		c.MsgsIn.Inc()
		c.BytesIn.Add(128)
		readyAt := time.Since(epoch)
		c.MsgsOut.Inc()
		c.BytesOut.Add(128)
		s.tokenWait.Observe(float64(time.Since(epoch)-readyAt) / 1e9)
	}
}
