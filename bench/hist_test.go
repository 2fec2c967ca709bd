package bench

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestHistogramSmallValuesAreExact(t *testing.T) {
	var h Histogram
	for v := 1; v <= 100; v++ {
		h.Record(time.Duration(v))
	}
	for _, tc := range []struct {
		q    float64
		want time.Duration
	}{{0.01, 1}, {0.5, 50}, {0.9, 90}, {0.99, 99}, {1, 100}} {
		if got := h.Quantile(tc.q); got != tc.want {
			t.Errorf("Quantile(%v) = %v, want %v", tc.q, got, tc.want)
		}
	}
	if h.Count() != 100 || h.Min() != 1 || h.Max() != 100 {
		t.Errorf("count/min/max = %d/%v/%v, want 100/1/100", h.Count(), h.Min(), h.Max())
	}
}

// Large values must land within the documented 1/64 relative error of the
// exact quantile from a sorted sample.
func TestHistogramQuantilesWithinRelativeError(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var h Histogram
	vals := make([]time.Duration, 50000)
	for i := range vals {
		// Log-uniform from 1 µs to 1 s, like real latencies.
		v := time.Duration(float64(time.Microsecond) * math.Pow(10, rng.Float64()*6))
		vals[i] = v
		h.Record(v)
	}
	slices.Sort(vals)
	for _, q := range []float64{0.5, 0.9, 0.99, 0.999} {
		exact := vals[int(q*float64(len(vals)))-1]
		got := h.Quantile(q)
		if got < exact || float64(got-exact) > float64(exact)/64+1 {
			t.Errorf("Quantile(%v) = %v, exact %v: outside [exact, exact*(1+1/64)]", q, got, exact)
		}
	}
	if h.Max() != vals[len(vals)-1] {
		t.Errorf("Max = %v, want %v", h.Max(), vals[len(vals)-1])
	}
}

func TestHistogramBucketsRoundTrip(t *testing.T) {
	for _, v := range []uint64{0, 1, 127, 128, 129, 255, 256, 1000, 1 << 20, 123456789, uint64(histMaxValue)} {
		i := bucketOf(v)
		if i < 0 || i >= histBuckets {
			t.Fatalf("bucketOf(%d) = %d, out of [0,%d)", v, i, histBuckets)
		}
		if up := bucketUpper(i); up < v || (i > 0 && bucketUpper(i-1) >= v) {
			t.Errorf("value %d in bucket %d whose range ends at %d (previous ends at %d)", v, i, up, bucketUpper(i-1))
		}
	}
}

func TestHistogramMergeAndClamp(t *testing.T) {
	var a, b Histogram
	a.Record(10 * time.Millisecond)
	b.Record(-5)
	b.Record(time.Hour) // beyond the range: clamped
	a.Merge(&b)
	if a.Count() != 3 || a.Min() != 0 || a.Max() != histMaxValue {
		t.Errorf("after merge count/min/max = %d/%v/%v", a.Count(), a.Min(), a.Max())
	}
	if got := a.Quantile(0.5); got < 10*time.Millisecond || got > 10*time.Millisecond*65/64 {
		t.Errorf("median = %v, want about 10ms", got)
	}
	var empty Histogram
	if empty.Quantile(0.99) != 0 {
		t.Error("empty histogram has a non-zero quantile")
	}
}
