package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// FanoutConfig describes one fan-out run against chat servers that are
// already running: one publisher connection sends Messages chat messages,
// and every one of Subscribers connections should receive each of them.
type FanoutConfig struct {
	// SubscriberURLs are the chat servers' WebSocket URLs; subscriber i
	// connects to SubscriberURLs[i % len].
	SubscriberURLs []string
	// PublisherURL is where the one publishing connection goes.
	PublisherURL string
	// Subscribers is the number of subscribing connections.
	Subscribers int
	// Messages is the number of measured messages the publisher sends.
	Messages int
	// Window bounds the measured messages in flight: the publisher sends
	// message k only once message k-Window has reached every subscriber
	// (default 4). It keeps the servers' queues (and so the latencies)
	// bounded instead of measuring how fast a backlog grows.
	Window int
	// SettleTimeout bounds the warm-up, in which the publisher sends a
	// message every 100 ms until every subscriber has received one (so
	// every server has subscribed on the bus before the measurement;
	// default 60 s).
	SettleTimeout time.Duration
	// StallTimeout ends the run when the oldest message in flight has not
	// reached every subscriber for this long; the missing deliveries count
	// as lost (default 10 s).
	StallTimeout time.Duration
	// Client picks the client library (default gorilla).
	Client Client
	// DialConcurrency bounds the handshakes in flight (default 64).
	DialConcurrency int
	// ServerPids are the processes whose CPU time over the measured window
	// is reported together (the golua-ws processes and nats-server).
	ServerPids []int
}

// FanoutResult is what one fan-out run measured.
type FanoutResult struct {
	Subscribers int // subscriber connections that were open for the run
	Sent        int // measured messages the publisher sent
	// Delivered counts measured messages received by subscribers; Lost is
	// Sent × Subscribers − Delivered.
	Delivered, Lost uint64
	// Duration runs from the first measured send to the last delivery.
	Duration time.Duration
	// DeliveredPerSec is Delivered / Duration.
	DeliveredPerSec float64
	// Latencies from the publisher's send to a subscriber's receipt.
	P50, P99, Max time.Duration
	// ServerCPU (all ServerPids together) and ClientCPU (this process:
	// publisher and every subscriber) over the measured window.
	ServerCPU, ClientCPU time.Duration
	// Errors counts failed dials, failed reads or writes, missing welcome
	// lines, and duplicated or reordered deliveries.
	Errors     int
	FirstError string
	// DialTime is how long opening every connection took, SettleTime how
	// long the warm-up took.
	DialTime, SettleTime time.Duration
}

// ServerCPUPerDelivery is the servers' CPU time per delivered message.
func (r FanoutResult) ServerCPUPerDelivery() time.Duration {
	if r.Delivered == 0 {
		return 0
	}
	return r.ServerCPU / time.Duration(r.Delivered)
}

// ClientCPUPerDelivery is the load generator's CPU time per delivered
// message.
func (r FanoutResult) ClientCPUPerDelivery() time.Duration {
	if r.Delivered == 0 {
		return 0
	}
	return r.ClientCPU / time.Duration(r.Delivered)
}

// Failed reports whether anything was lost or went wrong.
func (r FanoutResult) Failed() bool { return r.Errors > 0 || r.Lost > 0 }

// String is a one-line human summary.
func (r FanoutResult) String() string {
	s := fmt.Sprintf("subs=%d sent=%d delivered=%d lost=%d %.0f deliveries/s p50=%s p99=%s max=%s server_cpu/delivery=%s client_cpu/delivery=%s errors=%d",
		r.Subscribers, r.Sent, r.Delivered, r.Lost, r.DeliveredPerSec, fmtDur(r.P50), fmtDur(r.P99), fmtDur(r.Max),
		fmtDur(r.ServerCPUPerDelivery()), fmtDur(r.ClientCPUPerDelivery()), r.Errors)
	if r.FirstError != "" {
		s += fmt.Sprintf(" first_error=%q", r.FirstError)
	}
	return s
}

// The publisher's messages. The chat relays a text as `NAME: TEXT`; the
// benchmark's texts are "fanout SEQ NANOS" (NANOS: when it was sent, in
// nanoseconds on the run's monotonic clock) and "warmup SEQ".
const (
	fanoutTag = "fanout "
	warmupTag = "warmup "
)

// fanoutText is the text of measured message seq, sent at offset since the
// run's start.
func fanoutText(seq int, sent time.Duration) string {
	return fanoutTag + strconv.Itoa(seq) + " " + strconv.FormatInt(int64(sent), 10)
}

// fanoutKind tells the messages a subscriber can receive apart.
type fanoutKind int

const (
	otherMessage fanoutKind = iota // welcome, presence, anything else
	warmupMessage
	measuredMessage
)

// parseRelayed decodes a relayed chat line `NAME: TEXT`. For a measured
// message it returns its sequence number and send offset.
func parseRelayed(line []byte) (kind fanoutKind, seq int, sent time.Duration) {
	i := bytes.Index(line, []byte(": "))
	if i < 0 {
		return otherMessage, 0, 0
	}
	text := line[i+2:]
	if rest, ok := bytes.CutPrefix(text, []byte(warmupTag)); ok {
		if _, err := strconv.Atoi(string(rest)); err == nil {
			return warmupMessage, 0, 0
		}
		return otherMessage, 0, 0
	}
	rest, ok := bytes.CutPrefix(text, []byte(fanoutTag))
	if !ok {
		return otherMessage, 0, 0
	}
	seqText, nanos, ok := bytes.Cut(rest, []byte(" "))
	if !ok {
		return otherMessage, 0, 0
	}
	n, err1 := strconv.Atoi(string(seqText))
	ns, err2 := strconv.ParseInt(string(nanos), 10, 64)
	if err1 != nil || err2 != nil || n < 0 || ns < 0 {
		return otherMessage, 0, 0
	}
	return measuredMessage, n, time.Duration(ns)
}

// deliveryTracker counts, for every measured message, the subscribers that
// still have to receive it, and reports each message once it has reached
// all of them.
type deliveryTracker struct {
	remaining []atomic.Int32
	complete  chan int // sequence numbers of fully delivered messages
}

func newDeliveryTracker(messages, subscribers int) *deliveryTracker {
	t := &deliveryTracker{remaining: make([]atomic.Int32, messages), complete: make(chan int, messages)}
	for i := range t.remaining {
		t.remaining[i].Store(int32(subscribers))
	}
	return t
}

// delivered records one receipt of seq; it reports false for a sequence
// number that was never sent.
func (t *deliveryTracker) delivered(seq int) bool {
	if seq < 0 || seq >= len(t.remaining) {
		return false
	}
	if t.remaining[seq].Add(-1) == 0 {
		t.complete <- seq
	}
	return true
}

// histShards spreads the subscribers' latency records over a few locked
// histograms: one per subscriber would take 9 KiB × 10,000.
const histShards = 64

type shardedHistogram struct {
	shards [histShards]struct {
		mu sync.Mutex
		h  Histogram
	}
}

func (s *shardedHistogram) record(i int, d time.Duration) {
	sh := &s.shards[i%histShards]
	sh.mu.Lock()
	sh.h.Record(d)
	sh.mu.Unlock()
}

func (s *shardedHistogram) merged() *Histogram {
	var all Histogram
	for i := range s.shards {
		s.shards[i].mu.Lock()
		all.Merge(&s.shards[i].h)
		s.shards[i].mu.Unlock()
	}
	return &all
}

// fanoutMaxMessage bounds a relayed line (name, tag, two numbers).
const fanoutMaxMessage = 512

// Fanout runs one fan-out measurement: it opens cfg.Subscribers
// connections spread over cfg.SubscriberURLs and one publisher connection,
// waits until a warm-up message reaches every subscriber, then sends
// cfg.Messages measured messages (at most cfg.Window in flight) and records,
// for each delivery, the time since the publisher sent it. The error is for
// an invalid configuration or a run that could not start (a publisher that
// cannot connect); failures of the servers are counted in the result.
func Fanout(ctx context.Context, cfg FanoutConfig) (FanoutResult, error) {
	if cfg.Subscribers <= 0 || cfg.Messages <= 0 || len(cfg.SubscriberURLs) == 0 || cfg.PublisherURL == "" {
		return FanoutResult{}, errors.New("bench: fan-out needs subscribers > 0, messages > 0 and server URLs")
	}
	if cfg.Window <= 0 {
		cfg.Window = 4
	}
	if cfg.SettleTimeout <= 0 {
		cfg.SettleTimeout = 60 * time.Second
	}
	if cfg.StallTimeout <= 0 {
		cfg.StallTimeout = 10 * time.Second
	}
	var res FanoutResult
	var fail failures
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	t0 := time.Now()
	subs := dialSpread(ctx, cfg, &fail)
	pub, err := dial(ctx, cfg.Client, cfg.PublisherURL, fanoutMaxMessage)
	res.DialTime = time.Since(t0)
	if err != nil {
		abortAll(subs)
		return res, fmt.Errorf("bench: fan-out publisher: %w", err)
	}
	res.Subscribers = len(subs)
	// Closing the connections ends their readers. No closing handshake:
	// it would need a second reader on each connection.
	defer func() {
		cancel()
		abortAll(append(subs, pub))
	}()
	// The publisher's reader discards what the chat relays to it (its own
	// messages too), so the server never counts it as a slow consumer.
	go func() {
		for {
			if _, err := pub.recvText(); err != nil {
				return
			}
		}
	}()

	tracker := newDeliveryTracker(cfg.Messages, len(subs))
	var hist shardedHistogram
	var warmed atomic.Int64
	allWarm := make(chan struct{})
	for i, c := range subs {
		go func() {
			warm, last := false, -1
			for {
				p, err := c.recvText()
				if err != nil {
					if ctx.Err() == nil {
						fail.add(false, fmt.Sprintf("subscriber %d: %v", i, err))
					}
					return
				}
				// Read the clock before parsing, so parsing is not latency.
				now := time.Since(t0)
				kind, seq, sent := parseRelayed(p)
				switch kind {
				case warmupMessage:
					if !warm {
						warm = true
						if warmed.Add(1) == int64(len(subs)) {
							close(allWarm)
						}
					}
				case measuredMessage:
					if seq <= last || seq >= cfg.Messages {
						fail.add(true, fmt.Sprintf("subscriber %d: message %d after %d (duplicated, reordered or never sent)", i, seq, last))
						continue
					}
					last = seq
					// Record before telling the tracker: its last receipt
					// of a message can end the run, which reads the
					// histogram at once.
					hist.record(i, now-sent)
					tracker.delivered(seq)
				}
			}
		}()
	}

	// Warm-up: until every subscriber has a warm-up message.
	settleStart := time.Now()
	settleEnd := time.NewTimer(cfg.SettleTimeout)
	defer settleEnd.Stop()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
warmup:
	for n := 0; ; n++ {
		if err := pub.send(true, []byte(warmupTag+strconv.Itoa(n))); err != nil {
			fail.add(false, fmt.Sprintf("publisher: %v", err))
			return finish(res, &fail, 0, nil), nil
		}
		select {
		case <-allWarm:
			break warmup
		case <-tick.C:
		case <-settleEnd.C:
			fail.add(false, fmt.Sprintf("warm-up: %d of %d subscribers received nothing within %s", int64(len(subs))-warmed.Load(), len(subs), cfg.SettleTimeout))
			return finish(res, &fail, 0, nil), nil
		case <-ctx.Done():
			return finish(res, &fail, 0, nil), nil
		}
	}
	res.SettleTime = time.Since(settleStart)
	// Let the last warm-up messages drain.
	time.Sleep(200 * time.Millisecond)

	// The measured messages.
	cpu0 := sampleCPU(cfg.ServerPids)
	start := time.Now()
	inFlight := 0
	lastDone := start
	stalled := false
	awaitOne := func() bool {
		select {
		case <-tracker.complete:
			inFlight--
			lastDone = time.Now()
			return true
		case <-time.After(cfg.StallTimeout):
			stalled = true
		case <-ctx.Done():
		}
		return false
	}
	for seq := 0; seq < cfg.Messages && !stalled && ctx.Err() == nil; seq++ {
		if inFlight >= cfg.Window && !awaitOne() {
			break
		}
		if err := pub.send(true, []byte(fanoutText(seq, time.Since(t0)))); err != nil {
			fail.add(false, fmt.Sprintf("publisher: %v", err))
			break
		}
		res.Sent++
		inFlight++
	}
	for inFlight > 0 && awaitOne() {
	}
	cpu1 := sampleCPU(cfg.ServerPids)
	res.Duration = max(lastDone.Sub(start), time.Millisecond)
	res.ServerCPU, res.ClientCPU = cpu1.server-cpu0.server, cpu1.client-cpu0.client
	cancel() // the readers' errors from here on are the closes
	return finish(res, &fail, len(subs), hist.merged()), nil
}

// finish fills in the figures that come from the histogram and failures.
func finish(res FanoutResult, fail *failures, subscribers int, h *Histogram) FanoutResult {
	if h != nil {
		res.Delivered = h.Count()
		res.P50, res.P99, res.Max = h.Quantile(0.50), h.Quantile(0.99), h.Max()
		res.DeliveredPerSec = float64(res.Delivered) / res.Duration.Seconds()
	}
	if want := uint64(res.Sent) * uint64(subscribers); want > res.Delivered {
		res.Lost = want - res.Delivered
	}
	fail.mu.Lock()
	res.Errors, res.FirstError = fail.errors+fail.mismatches, fail.first
	fail.mu.Unlock()
	return res
}

func abortAll(conns []echoConn) {
	for _, c := range conns {
		c.abort()
	}
}

type cpuSample struct{ server, client time.Duration }

func sampleCPU(pids []int) cpuSample {
	s := cpuSample{client: selfCPU()}
	for _, pid := range pids {
		d, _ := ProcessCPU(pid)
		s.server += d
	}
	return s
}

// dialSpread opens cfg.Subscribers connections, subscriber i to
// cfg.SubscriberURLs[i % len], each waiting for its first message (the
// chat's welcome line, sent once the server has registered the client).
func dialSpread(ctx context.Context, cfg FanoutConfig, fail *failures) []echoConn {
	conc := cfg.DialConcurrency
	if conc <= 0 {
		conc = 64
	}
	conns := make([]echoConn, 0, cfg.Subscribers)
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, conc)
	for i := 0; i < cfg.Subscribers; i++ {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return conns
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			dctx, cancel := context.WithTimeout(ctx, 15*time.Second)
			defer cancel()
			url := cfg.SubscriberURLs[i%len(cfg.SubscriberURLs)]
			c, err := dial(dctx, cfg.Client, url, fanoutMaxMessage)
			if err == nil {
				_, err = c.recvText()
				if err != nil {
					c.abort()
					err = fmt.Errorf("%s: no welcome line: %w", url, err)
				}
			}
			if err != nil {
				if ctx.Err() == nil {
					fail.add(false, err.Error())
				}
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return conns
}
