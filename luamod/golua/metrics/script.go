package metrics

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// kind is a script metric's type, as silly names it.
type kind string

const (
	kindCounter   kind = "counter"
	kindGauge     kind = "gauge"
	kindHistogram kind = "histogram"
)

// defaultBuckets are silly's (and Prometheus's) default histogram buckets.
var defaultBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0}

// family is one metric a script defined: a single value when it has no
// label names, else a vector whose children are made by labels(...). Its
// values are client_golang's own metrics, so that the same object serves
// a script's reads (c.value) and the /metrics endpoint. A family exported
// through a Set is shared by every runtime that defines the same name (the
// workers of a pool), so its methods are safe from any goroutine.
type family struct {
	name, help string
	kind       kind
	labelNames []string
	buckets    []float64 // histograms: sorted upper bounds

	// collector is what a registry gathers: the single metric or the vec.
	collector prometheus.Collector
	single    prometheus.Metric

	mu       sync.Mutex
	children map[string]prometheus.Metric // by label key (labelKey)
	order    []string                     // the keys in creation order
}

// newFamily makes a family. buckets (histograms only) may be nil for the
// defaults; they are sorted, as silly sorts them.
func newFamily(k kind, name, help string, labelNames []string, buckets []float64) *family {
	f := &family{name: name, help: help, kind: k, labelNames: labelNames}
	if k == kindHistogram {
		if buckets == nil {
			buckets = defaultBuckets
		}
		f.buckets = slices.Clone(buckets)
		slices.Sort(f.buckets)
		f.buckets = slices.Compact(f.buckets)
	}
	if labelNames != nil {
		f.children = make(map[string]prometheus.Metric)
	}
	switch k {
	case kindCounter:
		o := prometheus.CounterOpts{Name: name, Help: help}
		if labelNames == nil {
			c := prometheus.NewCounter(o)
			f.collector, f.single = c, c
		} else {
			f.collector = prometheus.NewCounterVec(o, labelNames)
		}
	case kindGauge:
		o := prometheus.GaugeOpts{Name: name, Help: help}
		if labelNames == nil {
			g := prometheus.NewGauge(o)
			f.collector, f.single = g, g
		} else {
			f.collector = prometheus.NewGaugeVec(o, labelNames)
		}
	case kindHistogram:
		o := prometheus.HistogramOpts{Name: name, Help: help, Buckets: f.buckets}
		if labelNames == nil {
			h := prometheus.NewHistogram(o)
			f.collector, f.single = h, h
		} else {
			f.collector = prometheus.NewHistogramVec(o, labelNames)
		}
	}
	return f
}

// sameShape reports whether g was defined as f: a script that defines a
// metric again (another worker running the same script) shares it.
func (f *family) sameShape(g *family) bool {
	return f.kind == g.kind && f.help == g.help && slices.Equal(f.labelNames, g.labelNames) &&
		slices.Equal(f.buckets, g.buckets)
}

// labelKey is silly's key of a child: name="value",... in label order.
func labelKey(names, values []string) string {
	var b strings.Builder
	for i, n := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(n)
		b.WriteString(`="`)
		b.WriteString(values[i])
		b.WriteByte('"')
	}
	return b.String()
}

// child returns the metric of one combination of label values.
func (f *family) child(values []string) (prometheus.Metric, error) {
	if len(values) != len(f.labelNames) {
		return nil, fmt.Errorf("metric %s has %d labels (%s), got %d values",
			f.name, len(f.labelNames), strings.Join(f.labelNames, ", "), len(values))
	}
	key := labelKey(f.labelNames, values)
	f.mu.Lock()
	defer f.mu.Unlock()
	if m, ok := f.children[key]; ok {
		return m, nil
	}
	var m prometheus.Metric
	var err error
	switch v := f.collector.(type) {
	case *prometheus.CounterVec:
		m, err = v.GetMetricWithLabelValues(values...)
	case *prometheus.GaugeVec:
		m, err = v.GetMetricWithLabelValues(values...)
	case *prometheus.HistogramVec:
		var o prometheus.Observer
		o, err = v.GetMetricWithLabelValues(values...)
		if err == nil {
			m = o.(prometheus.Metric)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("metric %s: %w", f.name, err)
	}
	f.children[key] = m
	f.order = append(f.order, key)
	return m, nil
}

// childKeys returns the children's keys and metrics in creation order.
func (f *family) childList() (keys []string, ms []prometheus.Metric) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, k := range f.order {
		keys = append(keys, k)
		ms = append(ms, f.children[k])
	}
	return keys, ms
}

// read returns a metric's current state.
func read(m prometheus.Metric) *dto.Metric {
	var d dto.Metric
	if err := m.Write(&d); err != nil {
		// Write fails only for a malformed metric, which newFamily
		// cannot make; report it loudly rather than as a zero.
		panic(fmt.Sprintf("metrics: reading %v: %v", m.Desc(), err))
	}
	return &d
}

// value is the number a counter or gauge holds.
func value(m prometheus.Metric) float64 {
	d := read(m)
	switch {
	case d.Counter != nil:
		return d.Counter.GetValue()
	case d.Gauge != nil:
		return d.Gauge.GetValue()
	}
	return math.NaN()
}

// bucketCounts returns a histogram's counts per bucket, not cumulative
// (silly's bucketcounts), with its count and sum.
func bucketCounts(m prometheus.Metric) (counts []uint64, count uint64, sum float64) {
	h := read(m).Histogram
	var prev uint64
	for _, b := range h.Bucket {
		c := b.GetCumulativeCount()
		counts = append(counts, c-prev)
		prev = c
	}
	return counts, h.GetSampleCount(), h.GetSampleSum()
}

// Script returns the exported family name, made with f's shape the first
// time and shared after, or an error when name was defined with another
// shape or clashes with a metric already in the registry.
func (s *Set) export(f *family) (*family, error) {
	s.scriptMu.Lock()
	defer s.scriptMu.Unlock()
	if g, ok := s.script[f.name]; ok {
		if !g.sameShape(f) {
			return nil, fmt.Errorf("metric %s is already defined as a %s with labels {%s}", f.name, g.kind, strings.Join(g.labelNames, ","))
		}
		return g, nil
	}
	if err := s.reg.Register(f.collector); err != nil {
		return nil, fmt.Errorf("metric %s: %w", f.name, err)
	}
	s.script[f.name] = f
	return f, nil
}

// addCounter adds v (>= 0) to a family's single counter.
func addCounter(f *family, v float64) { f.single.(prometheus.Counter).Add(v) }

// setGauge sets a family's single gauge.
func setGauge(f *family, v float64) { f.single.(prometheus.Gauge).Set(v) }
