package bench

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// LoadConfig describes one closed-loop echo run.
type LoadConfig struct {
	// URL is the server's ws:// address.
	URL string
	// Conns is the number of concurrent connections (each one closed loop).
	Conns int
	// Size is the payload size of every message in bytes.
	Size int
	// Duration is the measured window.
	Duration time.Duration
	// Warmup runs the load before the measured window without recording.
	Warmup time.Duration
	// Text sends text messages (ASCII payloads) instead of binary ones.
	Text bool
	// Client picks the client library (default gorilla).
	Client Client
	// DialConcurrency bounds how many connections are being opened at once
	// (default 64), so a large run ramps up instead of flooding the
	// server's accept queue.
	DialConcurrency int
	// CloseTimeout bounds each connection's closing handshake (default 3 s).
	CloseTimeout time.Duration
	// ServerPid, when not 0, is the server's process id: its CPU time over
	// the measured window is reported (Linux /proc).
	ServerPid int
}

// LoadResult is what one run measured.
type LoadResult struct {
	Conns    int           // connections that were open for the run
	Size     int           // payload size
	Duration time.Duration // the measured window (shorter if interrupted)
	Messages uint64        // echoes completed inside the window
	// MsgsPerSec is Messages / Duration: round trips per second.
	MsgsPerSec float64
	// Latencies of one round trip (send, receive the echo, compare).
	P50, P90, P99, Max time.Duration
	// Errors counts failed dials, failed reads or writes and failed closing
	// handshakes; Mismatches counts echoes that differed from what was
	// sent (type, length or any byte).
	Errors, Mismatches int
	// FirstError describes the first error or mismatch, for the report.
	FirstError string
	// DialTime is how long it took to open every connection.
	DialTime time.Duration
	// ClientCPU and ServerCPU are the CPU time (user + system) the load
	// client's process and the server process (when LoadConfig.ServerPid
	// was set) used during the measured window. Per message they show where
	// the machine's cores went: on a small machine client and server share
	// the cores, and CPU per message is the figure that does not depend on
	// how fast the other side is.
	ClientCPU, ServerCPU time.Duration
}

// ServerCPUPerMsg is the server's CPU time per echoed message (0 if unknown).
func (r LoadResult) ServerCPUPerMsg() time.Duration {
	if r.Messages == 0 {
		return 0
	}
	return r.ServerCPU / time.Duration(r.Messages)
}

// ClientCPUPerMsg is the load client's CPU time per message.
func (r LoadResult) ClientCPUPerMsg() time.Duration {
	if r.Messages == 0 {
		return 0
	}
	return r.ClientCPU / time.Duration(r.Messages)
}

// Failed reports whether the run saw any error or mismatch.
func (r LoadResult) Failed() bool { return r.Errors > 0 || r.Mismatches > 0 }

// String is a one-line human summary.
func (r LoadResult) String() string {
	s := fmt.Sprintf("conns=%d size=%d msgs=%d %.0f msg/s p50=%s p90=%s p99=%s max=%s client_cpu/msg=%s",
		r.Conns, r.Size, r.Messages, r.MsgsPerSec, fmtDur(r.P50), fmtDur(r.P90), fmtDur(r.P99), fmtDur(r.Max),
		fmtDur(r.ClientCPUPerMsg()))
	if r.ServerCPU > 0 {
		s += " server_cpu/msg=" + fmtDur(r.ServerCPUPerMsg())
	}
	s += fmt.Sprintf(" errors=%d mismatches=%d", r.Errors, r.Mismatches)
	if r.FirstError != "" {
		s += " first_error=" + fmt.Sprintf("%q", r.FirstError)
	}
	return s
}

func fmtDur(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%.1fµs", float64(d)/1e3)
	case d < time.Second:
		return fmt.Sprintf("%.2fms", float64(d)/1e6)
	}
	return fmt.Sprintf("%.2fs", d.Seconds())
}

// failures collects errors from many goroutines, keeping the first text.
type failures struct {
	mu         sync.Mutex
	errors     int
	mismatches int
	first      string
}

func (f *failures) add(mismatch bool, msg string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if mismatch {
		f.mismatches++
	} else {
		f.errors++
	}
	if f.first == "" {
		f.first = msg
	}
}

// fillPayload writes the connection's fixed pattern into p. ASCII keeps it
// valid UTF-8 for text messages.
func fillPayload(p []byte, connID int) {
	for i := range p {
		p[i] = 'a' + byte((i+connID)%26)
	}
}

// stampSeq writes seq as hex digits over the start of p, so every message
// differs from the one before and a stale or replayed echo is caught.
func stampSeq(p []byte, seq uint64) {
	const hex = "0123456789abcdef"
	n := min(len(p), 16)
	for i := n - 1; i >= 0; i-- {
		p[i] = hex[seq&15]
		seq >>= 4
	}
}

// dialAll opens n connections with at most conc dials in flight. It returns
// the connections that opened (in no particular order).
func dialAll(ctx context.Context, kind Client, url string, n, conc, maxSize int, fail *failures) []echoConn {
	if conc <= 0 {
		conc = 64
	}
	conns := make([]echoConn, 0, n)
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, conc)
	for i := 0; i < n; i++ {
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
			c, err := dial(dctx, kind, url, maxSize)
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

// closeAll runs the closing handshake on every connection, 256 at a time.
func closeAll(conns []echoConn, timeout time.Duration, fail *failures) {
	if timeout <= 0 {
		timeout = 3 * time.Second
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 256)
	for _, c := range conns {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := c.close(time.Now().Add(timeout)); err != nil && fail != nil {
				fail.add(false, err.Error())
			}
		}()
	}
	wg.Wait()
}

// Load runs the closed-loop echo benchmark: it opens cfg.Conns connections,
// then each sends one message, waits for its echo, checks it byte for byte
// and repeats, for cfg.Warmup plus cfg.Duration. Only round trips that start
// inside the measured window are counted. Finally every connection is closed
// with a closing handshake.
//
// Failures of the server (dial, I/O, close, wrong echoes) are counted in the
// result, not returned; the error is for an invalid configuration. When ctx
// ends early, the result covers the time measured so far.
func Load(ctx context.Context, cfg LoadConfig) (LoadResult, error) {
	if cfg.Conns <= 0 || cfg.Size < 0 || cfg.Duration <= 0 {
		return LoadResult{}, errors.New("bench: load needs conns > 0, size >= 0 and duration > 0")
	}
	res := LoadResult{Size: cfg.Size}
	var fail failures
	t0 := time.Now()
	conns := dialAll(ctx, cfg.Client, cfg.URL, cfg.Conns, cfg.DialConcurrency, cfg.Size, &fail)
	res.DialTime = time.Since(t0)
	res.Conns = len(conns)

	if len(conns) == 0 {
		res.Duration = cfg.Duration
		res.Errors, res.Mismatches, res.FirstError = fail.errors, fail.mismatches, fail.first
		return res, nil
	}
	start := time.Now().Add(cfg.Warmup)
	end := start.Add(cfg.Duration)
	var stopped atomic.Bool // set when ctx ends
	stopCtx := context.AfterFunc(ctx, func() { stopped.Store(true) })
	defer stopCtx()

	// Sample CPU times at both ends of the window.
	cpuDone := make(chan [2]time.Duration, 1)
	go func() {
		var client, server [2]time.Duration
		sample := func(i int) {
			client[i] = selfCPU()
			if cfg.ServerPid != 0 {
				server[i], _ = ProcessCPU(cfg.ServerPid)
			}
		}
		for i, at := range []time.Time{start, end} {
			select {
			case <-time.After(time.Until(at)):
			case <-ctx.Done():
			}
			sample(i)
		}
		cpuDone <- [2]time.Duration{client[1] - client[0], server[1] - server[0]}
	}()

	hists := make([]*Histogram, len(conns))
	alive := make([]bool, len(conns)) // each goroutine writes only its own entry
	var wg sync.WaitGroup
	for i, c := range conns {
		h := new(Histogram)
		hists[i] = h
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := make([]byte, cfg.Size)
			fillPayload(p, i)
			alive[i] = true
			for seq := uint64(0); ; seq++ {
				stampSeq(p, seq)
				sent := time.Now()
				if !sent.Before(end) || stopped.Load() {
					return
				}
				if err := c.send(cfg.Text, p); err != nil {
					fail.add(false, fmt.Sprintf("send: %v", err))
					alive[i] = false
					c.abort()
					return
				}
				ok, err := c.recvEqual(cfg.Text, p)
				if err != nil {
					fail.add(false, fmt.Sprintf("receive: %v", err))
					alive[i] = false
					c.abort()
					return
				}
				if !ok {
					fail.add(true, fmt.Sprintf("connection %d message %d: echo differs from the %d-byte message sent", i, seq, len(p)))
				}
				if !sent.Before(start) {
					h.Record(time.Since(sent))
				}
			}
		}()
	}
	wg.Wait()
	res.Duration = cfg.Duration
	if stopped.Load() {
		res.Duration = max(time.Since(start), time.Millisecond)
	}
	cpu := <-cpuDone
	res.ClientCPU, res.ServerCPU = cpu[0], cpu[1]
	open := conns[:0:0]
	for i, c := range conns {
		if alive[i] {
			open = append(open, c)
		}
	}
	closeAll(open, cfg.CloseTimeout, &fail)

	var all Histogram
	for _, h := range hists {
		all.Merge(h)
	}
	res.Messages = all.Count()
	res.MsgsPerSec = float64(res.Messages) / res.Duration.Seconds()
	res.P50, res.P90, res.P99, res.Max = all.Quantile(0.50), all.Quantile(0.90), all.Quantile(0.99), all.Max()
	res.Errors, res.Mismatches, res.FirstError = fail.errors, fail.mismatches, fail.first
	return res, nil
}

// IdleSet is a group of open, idle connections (for memory measurements).
type IdleSet struct {
	conns   []echoConn
	dropped atomic.Int64
	wg      sync.WaitGroup
	fail    failures
}

// OpenIdle opens n connections to url (at most conc dialling at once) and
// keeps each one open, with a goroutine waiting for the server to end it.
// If any connection could not be opened, the ones that were are closed again
// and the error says why, so the caller owns a set only when err is nil.
func OpenIdle(ctx context.Context, kind Client, url string, n, conc int) (*IdleSet, error) {
	s := &IdleSet{}
	s.conns = dialAll(ctx, kind, url, n, conc, 125, &s.fail) // idle: never sends data
	for _, c := range s.conns {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			_ = c.waitClosed()
			s.dropped.Add(1)
		}()
	}
	if len(s.conns) < n {
		s.Close()
		return nil, fmt.Errorf("bench: opened %d of %d idle connections: %s", len(s.conns), n, s.fail.first)
	}
	return s, nil
}

// Open is the number of connections opened.
func (s *IdleSet) Open() int { return len(s.conns) }

// Dropped is the number of connections that have ended so far.
func (s *IdleSet) Dropped() int { return int(s.dropped.Load()) }

// Close ends every connection at once (no closing handshake: the readers
// own the read side) and waits for their goroutines.
func (s *IdleSet) Close() {
	for _, c := range s.conns {
		c.abort()
	}
	s.wg.Wait()
}
