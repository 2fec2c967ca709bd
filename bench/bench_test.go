package bench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The benchmarks run the end-to-end matrix. They ignore b.N (each cell is a
// timed load run), so run them once:
//
//	go test -run '^$' -bench . -benchtime 1x -timeout 30m ./bench/
//
// Environment (all optional; small values keep CI runs short):
//
//	WSBENCH_DURATION  measured window per cell (default 2s)
//	WSBENCH_WARMUP    warm-up per cell (default 500ms)
//	WSBENCH_CONNS     connection counts (default 1,100,1000)
//	WSBENCH_SIZES     message sizes in bytes (default 16,1024,65536)
//	WSBENCH_TARGETS   targets (default wscore,gorilla,eco,silly; wscore always runs)
//	WSBENCH_IDLE      idle connection counts for BenchmarkIdleMemory (default 1000,5000)
//	WSBENCH_CLIENT    load client: gorilla (default) or wscore
//	WSBENCH_FANOUT_SUBS      BenchmarkFanout's subscriber counts (default 1000,10000)
//	WSBENCH_FANOUT_MESSAGES  BenchmarkFanout's messages per cell (default 100)

func envConfig(b *testing.B) MatrixConfig {
	cfg := MatrixConfig{Duration: 2 * time.Second, Warmup: 500 * time.Millisecond}
	var err error
	if v := os.Getenv("WSBENCH_DURATION"); v != "" {
		if cfg.Duration, err = time.ParseDuration(v); err != nil {
			b.Fatalf("WSBENCH_DURATION: %v", err)
		}
	}
	if v := os.Getenv("WSBENCH_WARMUP"); v != "" {
		if cfg.Warmup, err = time.ParseDuration(v); err != nil {
			b.Fatalf("WSBENCH_WARMUP: %v", err)
		}
	}
	counts := func(name, def string) []int {
		v := os.Getenv(name)
		if v == "" {
			v = def
		}
		n, err := ParseCounts(v)
		if err != nil {
			b.Fatalf("%s: %v", name, err)
		}
		return n
	}
	cfg.Conns = counts("WSBENCH_CONNS", "1,100,1000")
	cfg.Sizes = counts("WSBENCH_SIZES", "16,1024,65536")
	cfg.IdleCounts = counts("WSBENCH_IDLE", "1000,5000")
	if v := os.Getenv("WSBENCH_TARGETS"); v != "" {
		cfg.Targets = strings.Split(v, ",")
	}
	cfg.Client = Client(os.Getenv("WSBENCH_CLIENT"))
	cfg.Wsbench, cfg.GoluaWS, cfg.Root = binaries(b)
	if err := cfg.setDefaults(); err != nil {
		b.Fatal(err)
	}
	return cfg
}

// startTargets starts every configured target that exists and stops them
// when b ends.
func startTargets(b *testing.B, cfg MatrixConfig) (targets []Target, procs []*Process, notes []string) {
	for _, name := range cfg.Targets {
		t, err := NewTarget(name, cfg.Root, cfg.Wsbench, cfg.GoluaWS)
		if errors.Is(err, ErrNoScript) {
			notes = append(notes, fmt.Sprintf("%s: skipped (%v)", name, err))
			continue
		}
		if err != nil {
			b.Fatal(err)
		}
		p, err := t.Start(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(p.Stop)
		targets = append(targets, t)
		procs = append(procs, p)
		notes = append(notes, fmt.Sprintf("%s: %s", name, t.Note))
	}
	return targets, procs, notes
}

// BenchmarkEcho runs conns × size × target, wscore first in every cell.
// Metrics: msgs/s, p99-µs, srv-cpu-µs/msg, and msgs/s as a fraction of
// wscore's (x-wscore). ns/op is the time per message (1/throughput). The
// whole table with ratios is printed at the end.
func BenchmarkEcho(b *testing.B) {
	cfg := envConfig(b)
	targets, procs, notes := startTargets(b, cfg)
	rep := &Report{Config: cfg, Notes: notes}
	for _, conns := range cfg.Conns {
		for _, size := range cfg.Sizes {
			var base LoadResult
			for i, t := range targets {
				name := fmt.Sprintf("conns=%d/size=%s/target=%s", conns, strings.ReplaceAll(SizeLabel(size), " ", ""), t.Name)
				b.Run(name, func(b *testing.B) {
					res, err := Load(context.Background(), LoadConfig{
						URL: t.URL(), Conns: conns, Size: size, Duration: cfg.Duration, Warmup: cfg.Warmup,
						Client: cfg.Client, ServerPid: procs[i].Pid(),
					})
					if err != nil {
						b.Fatal(err)
					}
					if res.Failed() || res.Conns < conns {
						b.Errorf("%s: %d/%d conns, %d errors, %d mismatches; first: %s",
							t.Name, res.Conns, conns, res.Errors, res.Mismatches, res.FirstError)
					}
					if procs[i].Exited() {
						b.Fatalf("%s exited:\n%s", t.Name, procs[i].Output())
					}
					if res.MsgsPerSec > 0 {
						b.ReportMetric(1e9/res.MsgsPerSec, "ns/op")
					}
					b.ReportMetric(res.MsgsPerSec, "msgs/s")
					b.ReportMetric(float64(res.P99)/1e3, "p99-µs")
					b.ReportMetric(float64(res.ServerCPUPerMsg())/1e3, "srv-cpu-µs/msg")
					if t.Name == TargetWscore {
						base = res
					} else if base.MsgsPerSec > 0 {
						b.ReportMetric(res.MsgsPerSec/base.MsgsPerSec, "x-wscore")
					}
					// With -benchtime other than 1x a cell may run more than
					// once; keep the last run.
					rep.Cells = replaceCell(rep.Cells, Cell{Target: t.Name, Conns: conns, Size: size, Result: res})
					time.Sleep(200 * time.Millisecond) // let the closes finish
				})
			}
		}
	}
	fmt.Print("\n", rep.Table(), "\n")
}

func replaceCell(cells []Cell, c Cell) []Cell {
	for i, old := range cells {
		if old.Target == c.Target && old.Conns == c.Conns && old.Size == c.Size {
			cells[i] = c
			return cells
		}
	}
	return append(cells, c)
}

// BenchmarkIdleMemory reports each target's RSS growth per idle connection
// (KiB/conn), each measured on a fresh, warmed-up server process, and its
// ratio to wscore's.
func BenchmarkIdleMemory(b *testing.B) {
	cfg := envConfig(b)
	rep := &Report{Config: cfg}
	for _, n := range cfg.IdleCounts {
		var base float64
		for _, name := range cfg.Targets {
			b.Run(fmt.Sprintf("conns=%d/target=%s", n, name), func(b *testing.B) {
				r := MeasureIdle(context.Background(), name, cfg.Root, cfg.Wsbench, cfg.GoluaWS, n, cfg.Client)
				if strings.Contains(r.Err, ErrNoScript.Error()) {
					b.Skip(r.Err)
				}
				if r.Err != "" || r.Dropped > 0 {
					b.Fatalf("%s: %s (%d dropped)", name, r.Err, r.Dropped)
				}
				b.ReportMetric(r.KiBPerConn, "KiB/conn")
				b.ReportMetric(float64(r.RSSAfter)/(1<<20), "rss-MiB")
				if name == TargetWscore {
					base = r.KiBPerConn
				} else if base > 0 {
					b.ReportMetric(r.KiBPerConn/base, "x-wscore")
				}
				rep.Idle = append(rep.Idle, r)
			})
		}
	}
	fmt.Print("\n", rep.Table(), "\n")
}

// BenchmarkFanout runs the chat fan-out (RunFanout) for both dialects:
// one golua-ws process with the embedded bus against two on one
// nats-server. Metrics per cell: deliveries/s, p50-µs, p99-µs,
// srv-cpu-µs/delivery; the table with ratios is printed at the end.
func BenchmarkFanout(b *testing.B) {
	_, goluaWS, root := binaries(b)
	cfg := FanoutBenchConfig{Root: root, GoluaWS: goluaWS, Client: Client(os.Getenv("WSBENCH_CLIENT"))}
	if v := os.Getenv("WSBENCH_FANOUT_SUBS"); v != "" {
		subs, err := ParseCounts(v)
		if err != nil {
			b.Fatalf("WSBENCH_FANOUT_SUBS: %v", err)
		}
		cfg.Subscribers = subs
	}
	if v := os.Getenv("WSBENCH_FANOUT_MESSAGES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			b.Fatalf("WSBENCH_FANOUT_MESSAGES: %q is not a positive integer", v)
		}
		cfg.Messages = n
	}
	rep, err := RunFanout(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range rep.Cells {
		b.Run(fmt.Sprintf("dialect=%s/subs=%d/setup=%s", c.Dialect, c.Subscribers, c.Setup), func(b *testing.B) {
			if c.Result.Failed() {
				b.Errorf("%d lost, %d errors; first: %s", c.Result.Lost, c.Result.Errors, c.Result.FirstError)
			}
			b.ReportMetric(c.Result.DeliveredPerSec, "deliveries/s")
			b.ReportMetric(float64(c.Result.P50)/1e3, "p50-µs")
			b.ReportMetric(float64(c.Result.P99)/1e3, "p99-µs")
			b.ReportMetric(float64(c.Result.ServerCPUPerDelivery())/1e3, "srv-cpu-µs/delivery")
		})
	}
	fmt.Print("\n", rep.Table(), "\n")
}
