// Command wsbench is golua-ws's WebSocket load tool.
//
// Load mode (the default) opens -conns connections to -url, ramped with at
// most -dial-conc handshakes in flight, and runs a closed loop on each: send
// one -size byte message, wait for the echo, check it byte for byte, repeat,
// for -warmup plus -duration. It prints messages per second, latency
// percentiles (from a fixed-size log-linear histogram), errors and
// mismatches, and exits 1 if there was any error or mismatch.
//
//	wsbench -url ws://127.0.0.1:8080/ws -conns 100 -size 1024 -duration 5s [-warmup 1s] [-text] [-json]
//
// Other modes:
//
//	wsbench -idle 5000 -url ws://127.0.0.1:8080/ws [-hold 30s]   hold idle connections (memory tests)
//	wsbench -serve wscore|gorilla -addr 127.0.0.1:8080            pure-Go echo server (the baselines)
//	wsbench -matrix [-matrix-duration 2s] [-matrix-rounds 3] [-targets wscore,gorilla,eco,silly]
//	                                        start every target and run the whole benchmark matrix
//	wsbench -fanout [-fanout-subs 1000,10000] [-fanout-messages 100] [-fanout-rounds 3]
//	                                        chat fan-out from one publisher to many subscribers:
//	                                        one process (embedded bus) against two on one nats-server
//
// The client library is gorilla/websocket by default (-client wscore to use
// the project's own core); it is independent of the servers under test.
// Everything is meant for 127.0.0.1.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/golua-ws/golua-ws/bench"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

type options struct {
	url, client, serve, addr string
	conns, size, idle, dialC int
	duration, warmup, hold   time.Duration
	text, asJSON, matrix     bool
	matrixDuration           time.Duration
	matrixWarmup             time.Duration
	targets, connList, sizes string
	idleCounts               string
	serverPid                int
	rounds                   int
	repoRoot                 string
	goluaWS                  string
	goluaWSBase              string
	fanout                   fanoutOptions
}

// fanoutOptions are the -fanout mode's flags.
type fanoutOptions struct {
	on                        bool
	subs, dialects, setups    string
	messages, window, workers int
	rounds                    int
	natsServer                string
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("wsbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.url, "url", "ws://127.0.0.1:8080/ws", "server URL (load and idle modes)")
	fs.IntVar(&o.conns, "conns", 1, "concurrent connections, each a closed loop")
	fs.IntVar(&o.size, "size", 16, "message payload size in bytes")
	fs.DurationVar(&o.duration, "duration", 5*time.Second, "measured window")
	fs.DurationVar(&o.warmup, "warmup", time.Second, "unmeasured load before the window")
	fs.BoolVar(&o.text, "text", false, "send text messages (ASCII) instead of binary")
	fs.BoolVar(&o.asJSON, "json", false, "print the result as JSON")
	fs.StringVar(&o.client, "client", string(bench.ClientGorilla), "client library: gorilla or wscore")
	fs.IntVar(&o.dialC, "dial-conc", 64, "maximum handshakes in flight while ramping up")
	fs.IntVar(&o.serverPid, "server-pid", 0, "server process id: also report its CPU time per message (Linux)")
	fs.IntVar(&o.idle, "idle", 0, "open N idle connections and hold them until interrupted")
	fs.DurationVar(&o.hold, "hold", 0, "with -idle: release the connections after this long (0: until interrupted)")
	fs.StringVar(&o.serve, "serve", "", "run a pure-Go echo server: wscore or gorilla")
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "listen address for -serve")
	fs.BoolVar(&o.matrix, "matrix", false, "start every target and run the benchmark matrix")
	fs.DurationVar(&o.matrixDuration, "matrix-duration", 2*time.Second, "with -matrix: measured window per cell")
	fs.DurationVar(&o.matrixWarmup, "matrix-warmup", 500*time.Millisecond, "with -matrix: warm-up per cell")
	fs.IntVar(&o.rounds, "matrix-rounds", 1, "with -matrix: runs per cell, alternating targets; the median is reported")
	fs.StringVar(&o.targets, "targets", "wscore,gorilla,eco,silly", "with -matrix: targets to run (wscore is always first); eco-wN and silly-wN run golua-ws --workers N, with a trailing r --accept reuseport")
	fs.StringVar(&o.connList, "matrix-conns", "1,100,1000", "with -matrix: connection counts")
	fs.StringVar(&o.sizes, "matrix-sizes", "16,1024,65536", "with -matrix: message sizes in bytes")
	fs.StringVar(&o.idleCounts, "idle-counts", "1000,5000", "with -matrix: idle connection counts for the memory test (empty: skip)")
	fs.StringVar(&o.repoRoot, "root", "", "with -matrix or -fanout: repository root (default: found from the working directory)")
	fs.StringVar(&o.goluaWS, "golua-ws", "", "with -matrix or -fanout: the golua-ws binary (or a wrapper adding options) to run the Lua targets with (default: built from the root)")
	fs.StringVar(&o.goluaWSBase, "golua-ws-base", "", "with -matrix: the golua-ws binary the eco-base and silly-base targets run with (a build from before a change, measured in the same run)")
	fs.BoolVar(&o.fanout.on, "fanout", false, "run the chat fan-out benchmark (embedded bus against NATS)")
	fs.StringVar(&o.fanout.subs, "fanout-subs", "1000,10000", "with -fanout: subscriber counts")
	fs.StringVar(&o.fanout.dialects, "fanout-dialects", "eco,silly", "with -fanout: chat scripts to run (eco, silly)")
	fs.StringVar(&o.fanout.setups, "fanout-setups", "embedded,nats", "with -fanout: setups to compare, the first is the baseline (embedded: one process; nats: two processes on one nats-server)")
	fs.IntVar(&o.fanout.messages, "fanout-messages", 100, "with -fanout: measured messages per cell")
	fs.IntVar(&o.fanout.window, "fanout-window", 4, "with -fanout: messages in flight (sent, not yet at every subscriber)")
	fs.IntVar(&o.fanout.workers, "fanout-workers", 1, "with -fanout: --workers of every golua-ws process")
	fs.IntVar(&o.fanout.rounds, "fanout-rounds", 1, "with -fanout: runs per cell, alternating the setups; the median is reported")
	fs.StringVar(&o.fanout.natsServer, "nats-server", "", "with -fanout: the nats-server binary (default: PATH, then /usr/sbin)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	return o, nil
}

// run is main without the process exit, for tests.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, "wsbench:", err)
		return 2
	}
	if err := bench.RaiseFileLimit(); err != nil {
		fmt.Fprintln(stderr, "wsbench: warning:", err)
	}
	switch {
	case o.serve != "":
		return serve(ctx, o, stdout, stderr)
	case o.matrix:
		return matrix(ctx, o, stdout, stderr)
	case o.fanout.on:
		return fanout(ctx, o, stdout, stderr)
	case o.idle > 0:
		return idle(ctx, o, stdout, stderr)
	}
	return load(ctx, o, stdout, stderr)
}

func serve(ctx context.Context, o options, stdout, stderr io.Writer) int {
	err := bench.Serve(ctx, o.serve, o.addr, func(a net.Addr) {
		fmt.Fprintf(stdout, "%s echo server listening on ws://%s/ws\n", o.serve, a)
	})
	if err != nil {
		fmt.Fprintln(stderr, "wsbench:", err)
		return 1
	}
	return 0
}

func load(ctx context.Context, o options, stdout, stderr io.Writer) int {
	res, err := bench.Load(ctx, bench.LoadConfig{
		URL: o.url, Conns: o.conns, Size: o.size, Duration: o.duration, Warmup: o.warmup,
		Text: o.text, Client: bench.Client(o.client), DialConcurrency: o.dialC, ServerPid: o.serverPid,
	})
	if err != nil {
		fmt.Fprintln(stderr, "wsbench:", err)
		return 2
	}
	if o.asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(jsonResult(o, res))
	} else {
		fmt.Fprintln(stdout, res)
	}
	if res.Failed() || res.Conns < o.conns {
		return 1
	}
	return 0
}

// jsonResult flattens a result for -json, with durations in microseconds.
func jsonResult(o options, r bench.LoadResult) map[string]any {
	us := func(d time.Duration) float64 { return float64(d) / 1e3 }
	return map[string]any{
		"url": o.url, "client": o.client, "text": o.text,
		"conns": r.Conns, "size": r.Size, "duration_s": r.Duration.Seconds(),
		"messages": r.Messages, "msgs_per_sec": r.MsgsPerSec,
		"p50_us": us(r.P50), "p90_us": us(r.P90), "p99_us": us(r.P99), "max_us": us(r.Max),
		"errors": r.Errors, "mismatches": r.Mismatches, "first_error": r.FirstError,
		"dial_s": r.DialTime.Seconds(), "client_cpu_per_msg_us": us(r.ClientCPUPerMsg()),
		"server_cpu_per_msg_us": us(r.ServerCPUPerMsg()),
	}
}

func idle(ctx context.Context, o options, stdout, stderr io.Writer) int {
	set, err := bench.OpenIdle(ctx, bench.Client(o.client), o.url, o.idle, o.dialC)
	if err != nil {
		fmt.Fprintln(stderr, "wsbench:", err)
		return 1
	}
	defer set.Close()
	fmt.Fprintf(stdout, "idle: %d connections open\n", set.Open())
	if o.hold > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.hold)
		defer cancel()
	}
	<-ctx.Done()
	dropped := set.Dropped()
	fmt.Fprintf(stdout, "idle: releasing %d connections (%d were closed by the server)\n", set.Open(), dropped)
	if dropped > 0 {
		return 1
	}
	return 0
}

func matrix(ctx context.Context, o options, stdout, stderr io.Writer) int {
	conns, err := bench.ParseCounts(o.connList)
	if err != nil {
		fmt.Fprintln(stderr, "wsbench: -matrix-conns:", err)
		return 2
	}
	sizes, err := bench.ParseCounts(o.sizes)
	if err != nil {
		fmt.Fprintln(stderr, "wsbench: -matrix-sizes:", err)
		return 2
	}
	idles, err := bench.ParseCounts(o.idleCounts)
	if err != nil {
		fmt.Fprintln(stderr, "wsbench: -idle-counts:", err)
		return 2
	}
	cfg := bench.MatrixConfig{
		Root: o.repoRoot, Targets: strings.Split(o.targets, ","), Conns: conns, Sizes: sizes,
		Duration: o.matrixDuration, Warmup: o.matrixWarmup, IdleCounts: idles, Rounds: o.rounds,
		Client: bench.Client(o.client), Log: stderr, GoluaWS: o.goluaWS, GoluaWSBase: o.goluaWSBase,
	}
	rep, err := bench.RunMatrix(ctx, cfg)
	if err != nil {
		fmt.Fprintln(stderr, "wsbench:", err)
		return 1
	}
	fmt.Fprint(stdout, rep.Table())
	if rep.Failed() {
		return 1
	}
	return 0
}

func fanout(ctx context.Context, o options, stdout, stderr io.Writer) int {
	subs, err := bench.ParseCounts(o.fanout.subs)
	if err != nil {
		fmt.Fprintln(stderr, "wsbench: -fanout-subs:", err)
		return 2
	}
	cfg := bench.FanoutBenchConfig{
		Root: o.repoRoot, GoluaWS: o.goluaWS, NATSServer: o.fanout.natsServer,
		Dialects: splitList(o.fanout.dialects), Subscribers: subs, Setups: splitList(o.fanout.setups),
		Messages: o.fanout.messages, Window: o.fanout.window, Workers: o.fanout.workers,
		Rounds: o.fanout.rounds, Client: bench.Client(o.client), Log: stderr,
	}
	rep, err := bench.RunFanout(ctx, cfg)
	if rep != nil {
		fmt.Fprint(stdout, rep.Table())
	}
	if err != nil {
		fmt.Fprintln(stderr, "wsbench:", err)
		return 1
	}
	if rep.Failed() {
		return 1
	}
	return 0
}

// splitList splits a comma-separated flag value, dropping empty entries.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
