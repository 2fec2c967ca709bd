package bench

import (
	"math/bits"
	"time"
)

// Histogram records durations in log-linear buckets, in the manner of an
// HDR histogram: values below 2^histSubBits ns are exact, larger ones fall
// into buckets whose width is 1/64 of their magnitude (at most 1.6%
// relative error). Its size is fixed (about 9 KiB), so a long run never
// grows memory, and histograms of different connections merge exactly.
//
// A Histogram is not safe for concurrent use: give each goroutine its own
// and Merge them at the end.
type Histogram struct {
	counts [histBuckets]uint32
	total  uint64
	max    time.Duration
	min    time.Duration
}

const (
	histSubBits  = 7                // 128 exact values, then 64 buckets per power of two
	histSub      = 1 << histSubBits // 128
	histHalf     = histSub / 2      // 64
	histMaxShift = 40 - histSubBits // values up to 2^40 ns (about 18 minutes)
	histBuckets  = histSub + histMaxShift*histHalf
	histMaxValue = time.Duration(1)<<40 - 1
)

// bucketOf maps a non-negative value to its bucket index.
func bucketOf(v uint64) int {
	if v < histSub {
		return int(v)
	}
	shift := bits.Len64(v) - histSubBits // >= 1
	m := v >> uint(shift)                // in [histHalf, histSub)
	return histSub + (shift-1)*histHalf + int(m-histHalf)
}

// bucketUpper is the largest value that falls into bucket i.
func bucketUpper(i int) uint64 {
	if i < histSub {
		return uint64(i)
	}
	shift := (i-histSub)/histHalf + 1
	m := uint64((i-histSub)%histHalf + histHalf)
	return (m+1)<<uint(shift) - 1
}

// Record adds one duration. Negative values count as zero and values beyond
// about 18 minutes are clamped.
func (h *Histogram) Record(d time.Duration) {
	if d < 0 {
		d = 0
	}
	if d > histMaxValue {
		d = histMaxValue
	}
	h.counts[bucketOf(uint64(d))]++
	if h.total == 0 || d < h.min {
		h.min = d
	}
	if d > h.max {
		h.max = d
	}
	h.total++
}

// Merge adds every value recorded in o to h.
func (h *Histogram) Merge(o *Histogram) {
	if o.total == 0 {
		return
	}
	for i, c := range o.counts {
		h.counts[i] += c
	}
	if h.total == 0 || o.min < h.min {
		h.min = o.min
	}
	if o.max > h.max {
		h.max = o.max
	}
	h.total += o.total
}

// Count is the number of recorded values.
func (h *Histogram) Count() uint64 { return h.total }

// Max is the largest recorded value (exact).
func (h *Histogram) Max() time.Duration { return h.max }

// Min is the smallest recorded value (exact).
func (h *Histogram) Min() time.Duration { return h.min }

// Quantile returns the value at quantile q (0 < q <= 1): the upper bound of
// the bucket holding the ceil(q*count)-th smallest value, capped at the exact
// maximum. It is 0 for an empty histogram.
func (h *Histogram) Quantile(q float64) time.Duration {
	if h.total == 0 {
		return 0
	}
	if q <= 0 {
		return h.min
	}
	rank := uint64(q*float64(h.total) + 0.9999999)
	if rank < 1 {
		rank = 1
	}
	if rank > h.total {
		rank = h.total
	}
	var seen uint64
	for i, c := range h.counts {
		seen += uint64(c)
		if seen >= rank {
			v := time.Duration(bucketUpper(i))
			if v > h.max {
				v = h.max
			}
			if v < h.min {
				v = h.min
			}
			return v
		}
	}
	return h.max
}
