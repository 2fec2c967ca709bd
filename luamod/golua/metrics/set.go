// Package metrics is golua-ws's Prometheus instrumentation, built on
// client_golang: the runtime's and the WebSocket connection layer's
// metrics, the metrics scripts define (silly.metrics.* and the neutral
// golua.metrics), and the /metrics handler that serves them all.
//
// A Set owns the metrics of one registry. A host makes one with New (its
// own prometheus.Registerer) and passes Set.Options to every runtime that
// should report into it; the runtimes of a worker pool share one Set, so
// one endpoint shows all of them. A runtime without a Set reports nothing
// and pays nothing on the hot path.
package metrics

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"

	"github.com/golua-ws/golua-ws/runtime"
	"github.com/golua-ws/golua-ws/wscore"
	"github.com/prometheus/client_golang/prometheus"
)

// Set holds the metrics golua-ws reports into one registry. Safe from any
// goroutine.
type Set struct {
	reg prometheus.Registerer

	connsOpen         *prometheus.GaugeVec
	connsTotal        *prometheus.CounterVec
	msgsIn, msgsOut   *prometheus.CounterVec
	bytesIn, bytesOut *prometheus.CounterVec
	handshakeFailures *prometheus.CounterVec
	closesSent        *prometheus.CounterVec
	closesReceived    *prometheus.CounterVec
	tokenWait         prometheus.Histogram
	tasks             *taskCollector

	connMu sync.Mutex
	conns  map[connKey]*Conn

	scriptMu sync.Mutex
	script   map[string]*family
}

type connKey struct {
	dialect string
	client  bool
}

// New makes the golua-ws metrics and registers them with reg.
func New(reg prometheus.Registerer) (*Set, error) {
	dr := []string{"dialect", "role"}
	s := &Set{
		reg: reg,
		connsOpen: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "golua_ws_connections_open", Help: "WebSocket connections open now.",
		}, dr),
		connsTotal: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "golua_ws_connections_total", Help: "WebSocket connections opened (handshake done).",
		}, dr),
		msgsIn: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "golua_ws_messages_received_total", Help: "WebSocket data messages received.",
		}, dr),
		msgsOut: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "golua_ws_messages_sent_total", Help: "WebSocket data messages sent.",
		}, dr),
		bytesIn: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "golua_ws_received_bytes_total", Help: "Payload bytes of WebSocket data frames received.",
		}, dr),
		bytesOut: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "golua_ws_sent_bytes_total", Help: "Payload bytes of WebSocket data frames sent.",
		}, dr),
		handshakeFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "golua_ws_handshake_failures_total", Help: "WebSocket opening handshakes that failed, by reason.",
		}, []string{"dialect", "role", "reason"}),
		closesSent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "golua_ws_close_sent_total", Help: "WebSocket close frames sent, by status code.",
		}, []string{"dialect", "role", "code"}),
		closesReceived: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "golua_ws_close_received_total", Help: "WebSocket close frames received, by status code.",
		}, []string{"dialect", "role", "code"}),
		tokenWait: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "golua_ws_vm_token_wait_seconds",
			Help:    "Time a ready task waited for its VM's token.",
			Buckets: prometheus.ExponentialBuckets(1e-6, 4, 12),
		}),
		tasks:  newTaskCollector(),
		conns:  make(map[connKey]*Conn),
		script: make(map[string]*family),
	}
	for _, c := range []prometheus.Collector{s.connsOpen, s.connsTotal, s.msgsIn, s.msgsOut,
		s.bytesIn, s.bytesOut, s.handshakeFailures, s.closesSent, s.closesReceived, s.tokenWait, s.tasks} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("metrics: register: %w", err)
		}
	}
	return s, nil
}

type setKey struct{}

// Options are the runtime options that make a runtime report into s: its
// service (found by Of) and its VM token wait observer.
func (s *Set) Options() []runtime.Option {
	return []runtime.Option{
		runtime.WithService(setKey{}, s),
		runtime.WithTokenWaitObserver(s.tokenWait.Observe),
	}
}

// Of returns the Set rt reports into, or nil.
func Of(rt *runtime.Runtime) *Set {
	s, _ := rt.Service(setKey{}, func() any { return (*Set)(nil) }).(*Set)
	return s
}

// Conn is the connection layer's counters for one dialect and role,
// resolved once so that counting a message is an atomic add.
type Conn struct {
	set                                *Set
	dialect, role                      string
	Open                               prometheus.Gauge
	Total                              prometheus.Counter
	MsgsIn, MsgsOut, BytesIn, BytesOut prometheus.Counter
}

// Conn returns the counters of connections of dialect in a role (client:
// dialled; server: accepted).
func (s *Set) Conn(dialect string, client bool) *Conn {
	k := connKey{dialect, client}
	s.connMu.Lock()
	defer s.connMu.Unlock()
	if c, ok := s.conns[k]; ok {
		return c
	}
	role := "server"
	if client {
		role = "client"
	}
	c := &Conn{
		set: s, dialect: dialect, role: role,
		Open:     s.connsOpen.WithLabelValues(dialect, role),
		Total:    s.connsTotal.WithLabelValues(dialect, role),
		MsgsIn:   s.msgsIn.WithLabelValues(dialect, role),
		MsgsOut:  s.msgsOut.WithLabelValues(dialect, role),
		BytesIn:  s.bytesIn.WithLabelValues(dialect, role),
		BytesOut: s.bytesOut.WithLabelValues(dialect, role),
	}
	s.conns[k] = c
	return c
}

// CloseFrame counts a close frame with code, received from the peer or
// sent to it.
func (c *Conn) CloseFrame(code int, received bool) {
	v := c.set.closesSent
	if received {
		v = c.set.closesReceived
	}
	v.WithLabelValues(c.dialect, c.role, strconv.Itoa(code)).Inc()
}

// HandshakeFailed counts an opening handshake of dialect that failed with
// err.
func (s *Set) HandshakeFailed(dialect string, client bool, err error) {
	role := "server"
	if client {
		role = "client"
	}
	s.handshakeFailures.WithLabelValues(dialect, role, HandshakeReason(err)).Inc()
}

// HandshakeRefused counts a handshake a dialect refused by its own checks,
// with msg its error message: "timeout" when msg says so, "network" for a
// connection error, else "bad_handshake".
func (s *Set) HandshakeRefused(dialect string, client bool, msg string) {
	role := "server"
	if client {
		role = "client"
	}
	reason := "bad_handshake"
	switch lower := strings.ToLower(msg); {
	case strings.Contains(lower, "timeout"), strings.Contains(lower, "timed out"):
		reason = "timeout"
	case strings.Contains(lower, "connection refused"), strings.Contains(lower, "connect:"),
		strings.Contains(lower, "reset by peer"), strings.Contains(lower, "closed"):
		reason = "network"
	}
	s.handshakeFailures.WithLabelValues(dialect, role, reason).Inc()
}

// HandshakeReason names why a handshake failed, for the reason label: a
// small fixed set, so that the label cannot grow without bound.
func HandshakeReason(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, wscore.ErrTLSHandshake):
		return "tls"
	case errors.Is(err, wscore.ErrBadHandshake):
		return "bad_handshake"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		return "network"
	}
	return "other"
}

// taskCollector reports the tasks of the runtimes attached to a Set: live
// tasks now and task errors so far. The errors of runtimes that have closed
// are kept, so that the counter never goes down.
type taskCollector struct {
	liveDesc, errDesc, parkedDesc *prometheus.Desc

	mu       sync.Mutex
	runtimes map[*runtime.Runtime]struct{}
	retired  uint64
}

func newTaskCollector() *taskCollector {
	return &taskCollector{
		liveDesc: prometheus.NewDesc("golua_ws_tasks_live", "Lua tasks alive now, over all runtimes.", nil, nil),
		errDesc:  prometheus.NewDesc("golua_ws_task_errors_total", "Lua tasks that ended with an uncaught error.", nil, nil),
		parkedDesc: prometheus.NewDesc("golua_ws_tasks_parked",
			"Lua tasks parked without a goroutine now (idle WebSocket handlers), over all runtimes.", nil, nil),
		runtimes: make(map[*runtime.Runtime]struct{}),
	}
}

func (tc *taskCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- tc.liveDesc
	ch <- tc.errDesc
	ch <- tc.parkedDesc
}

func (tc *taskCollector) Collect(ch chan<- prometheus.Metric) {
	tc.mu.Lock()
	var live int64
	var parked int
	errs := tc.retired
	for rt := range tc.runtimes {
		live += rt.LiveTasks()
		errs += rt.TaskErrors()
		parked += rt.ParkedTasks()
	}
	tc.mu.Unlock()
	ch <- prometheus.MustNewConstMetric(tc.liveDesc, prometheus.GaugeValue, float64(live))
	ch <- prometheus.MustNewConstMetric(tc.parkedDesc, prometheus.GaugeValue, float64(parked))
	ch <- prometheus.MustNewConstMetric(tc.errDesc, prometheus.CounterValue, float64(errs))
}

func (tc *taskCollector) attach(rt *runtime.Runtime) {
	tc.mu.Lock()
	tc.runtimes[rt] = struct{}{}
	tc.mu.Unlock()
	rt.OnClose(func() {
		tc.mu.Lock()
		defer tc.mu.Unlock()
		if _, ok := tc.runtimes[rt]; ok {
			delete(tc.runtimes, rt)
			tc.retired += rt.TaskErrors()
		}
	})
}
