// Command golua-ws runs a Lua script on the golua-ws runtime, with the eco
// and silly modules available to require.
//
//	golua-ws [options] SCRIPT [ARGS...]
//	golua-ws [options] -e CODE [ARGS...]
//	golua-ws stubs DIR
//
// It is usable as a shebang interpreter (#!/usr/bin/env golua-ws).
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	goruntime "runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/golua-ws/golua-ws/bus"
	"github.com/golua-ws/golua-ws/luamod"
	"github.com/golua-ws/golua-ws/luamod/golua/metrics"
	"github.com/golua-ws/golua-ws/luamod/golua/worker"
	"github.com/golua-ws/golua-ws/runtime"
)

const usage = `usage: golua-ws [options] SCRIPT [ARGS...]
       golua-ws [options] -e CODE [ARGS...]
       golua-ws stubs DIR   (or --stubs DIR)

Runs a Lua 5.4 script written for lua-eco or silly on the golua-ws runtime.
"stubs DIR" writes LuaLS definitions of every module into DIR and points
the current directory's .luarc.json at them, for completion in editors.

options:
  -e CODE          run CODE instead of a script file
  -L PATH          prepend PATH to package.path (a directory, or a pattern with '?')
  --fatal-errors   an uncaught error in any task ends the process with exit 1
                   (lua-eco's behaviour); by default only that task ends
  --watch          reload changed modules while running (also on SIGHUP);
                   open connections keep their code, new ones get the new code
  --watchdog MS    report a task that runs MS milliseconds without blocking
  --max-tasks N    refuse to start more than N live tasks
  --idle-gc MS     once no task has run for MS milliseconds after enough
                   allocation, collect garbage and return free memory to
                   the OS (default 500; 0 turns it off)
  --shutdown-timeout DURATION
                   on SIGTERM, SIGINT or the end of the runtime, how long to
                   wait for in-flight HTTP requests and WebSocket closes
                   before closing what is left (e.g. 10s, 1500ms, or plain
                   milliseconds; default 10s)
  --workers N      run the script on N independent runtimes (each its own
                   Lua VM and scheduler) sharing the listening ports; 'auto'
                   is one per CPU (GOMAXPROCS). Default 1. require
                   'golua.worker' gives a script its id (1..N) and count
  --accept MODE    how workers share a port: 'shared' (default: one accept
                   loop hands connections to the workers) or 'reuseport'
                   (a socket per worker with SO_REUSEPORT)
  --bus URL        put golua.bus on the NATS server(s) at URL
                   (nats://[user:pass@]host:4222[,nats://...], tls://...;
                   default $GOLUA_BUS; empty: the embedded in-process bus).
                   GOLUA_BUS_CREDS, GOLUA_BUS_CA, GOLUA_BUS_CERT and
                   GOLUA_BUS_KEY name a .creds file and TLS PEM files
  --pprof ADDR     serve Go's profiles (net/http/pprof) on ADDR, e.g.
                   127.0.0.1:6060, for profiling the runtime under a script
  --metrics ADDR   serve Prometheus metrics at http://ADDR/metrics (connections,
                   messages, bytes, handshakes, close codes, tasks, VM token
                   wait, Go and process, and the scripts' own metrics from
                   golua.metrics and silly.metrics), e.g. 127.0.0.1:9100
  --health-check URL
                   GET URL, exit 0 if it answers below 400 and 1 otherwise
                   (within 3s): a container HEALTHCHECK with no curl
  --log-format FORMAT
                   'text' (default): messages as today, eco.log and
                   silly.logger in their own formats; 'json': every message
                   of the runtime and of eco.log / silly.logger is one JSON
                   object per line on stderr (time, level, message, script,
                   task, source, and the traceback of a task error)
  --log-level LEVEL
                   debug, info (default), warn or error: the level eco.log
                   and silly.logger start at, and in json the least level
                   written
  -v, --version    print the module version and VCS revision and exit
  -h, --help       print this help and exit

Script arguments of the form --key=value are also visible through silly.env.
`

// defaultIdleGC is --idle-gc's default: half a second without a task
// running is idle for a server.
const defaultIdleGC = 500 * time.Millisecond

type config struct {
	code        string
	hasCode     bool
	paths       []string
	fatalErrors bool
	watch       bool
	watchdog    time.Duration
	maxTasks    int
	pprofAddr   string
	metricsAddr string
	busURL      string
	busSet      bool // --bus given (even empty): GOLUA_BUS is not read
	idleGC      time.Duration
	shutdown    time.Duration // 0: the runtime's default
	workers     int
	accept      worker.AcceptMode
	logJSON     bool // --log-format json
	logLevel    slog.Level
	logLevelSet bool
	script      string
	args        []string
}

// parseArgs reads options up to the script name; everything after the
// script belongs to the script.
func parseArgs(argv []string, stdout, stderr io.Writer) (cfg config, exit int, done bool) {
	cfg.idleGC = defaultIdleGC
	cfg.workers = 1
	for i := 0; i < len(argv); i++ {
		a := argv[i]
		// An option that takes a value gets it from the next argument.
		var val string
		switch a {
		case "--idle-gc", "--shutdown-timeout", "--watchdog", "--max-tasks", "--pprof", "--metrics", "--workers", "--accept", "--bus", "--health-check", "--log-format", "--log-level", "-e", "-L":
			if i+1 >= len(argv) {
				fmt.Fprintf(stderr, "golua-ws: option '%s' needs an argument\n%s", a, usage)
				return cfg, 1, true
			}
			i++
			val = argv[i]
		}
		switch {
		case a == "-h" || a == "--help":
			fmt.Fprint(stdout, usage)
			return cfg, 0, true
		case a == "-v" || a == "--version":
			fmt.Fprintln(stdout, versionLine(debug.ReadBuildInfo()))
			return cfg, 0, true
		case a == "--health-check":
			return cfg, healthCheck(val, stdout, stderr), true
		case a == "--fatal-errors":
			cfg.fatalErrors = true
		case a == "--watch":
			cfg.watch = true
		case a == "--idle-gc":
			n, err := strconv.Atoi(val)
			if err != nil || n < 0 {
				fmt.Fprintf(stderr, "golua-ws: option '%s' needs a number of milliseconds, got '%s'\n", a, val)
				return cfg, 1, true
			}
			cfg.idleGC = time.Duration(n) * time.Millisecond
		case a == "--shutdown-timeout":
			d, ok := parseDuration(val)
			if !ok || d <= 0 {
				fmt.Fprintf(stderr, "golua-ws: option '%s' needs a positive duration (10s, 500ms, or milliseconds), got '%s'\n", a, val)
				return cfg, 1, true
			}
			cfg.shutdown = d
		case a == "--watchdog" || a == "--max-tasks":
			n, err := strconv.Atoi(val)
			if err != nil || n <= 0 {
				fmt.Fprintf(stderr, "golua-ws: option '%s' needs a positive number, got '%s'\n", a, val)
				return cfg, 1, true
			}
			if a == "--watchdog" {
				cfg.watchdog = time.Duration(n) * time.Millisecond
			} else {
				cfg.maxTasks = n
			}
		case a == "--pprof":
			cfg.pprofAddr = val
		case a == "--metrics":
			cfg.metricsAddr = val
		case a == "--workers":
			if val == "auto" {
				cfg.workers = goruntime.GOMAXPROCS(0)
				break
			}
			n, err := strconv.Atoi(val)
			if err != nil || n <= 0 {
				fmt.Fprintf(stderr, "golua-ws: option '%s' needs a positive number or 'auto', got '%s'\n", a, val)
				return cfg, 1, true
			}
			cfg.workers = n
		case a == "--accept":
			m, err := worker.ParseAcceptMode(val)
			if err != nil {
				fmt.Fprintf(stderr, "golua-ws: option '%s' needs 'shared' or 'reuseport', got '%s'\n", a, val)
				return cfg, 1, true
			}
			cfg.accept = m
		case a == "--bus":
			cfg.busURL, cfg.busSet = val, true
		case a == "--log-format":
			if val != "text" && val != "json" {
				fmt.Fprintf(stderr, "golua-ws: option '%s' needs 'text' or 'json', got '%s'\n", a, val)
				return cfg, 1, true
			}
			cfg.logJSON = val == "json"
		case a == "--log-level":
			var level slog.Level
			if err := level.UnmarshalText([]byte(val)); err != nil {
				fmt.Fprintf(stderr, "golua-ws: option '%s' needs debug, info, warn or error, got '%s'\n", a, val)
				return cfg, 1, true
			}
			cfg.logLevel, cfg.logLevelSet = level, true
		case a == "-e":
			cfg.code, cfg.hasCode = val, true
		case a == "-L":
			cfg.paths = append(cfg.paths, val)
		case strings.HasPrefix(a, "-L") && len(a) > 2:
			cfg.paths = append(cfg.paths, a[2:])
		case a == "--":
			i++
			fallthrough
		default:
			if i < len(argv) && strings.HasPrefix(argv[i], "-") && argv[i] != "-" && a != "--" {
				fmt.Fprintf(stderr, "golua-ws: unknown option '%s'\n%s", a, usage)
				return cfg, 1, true
			}
			rest := argv[i:]
			if cfg.hasCode {
				cfg.args = rest
			} else if len(rest) > 0 {
				cfg.script, cfg.args = rest[0], rest[1:]
			}
			return cfg, 0, false
		}
	}
	if !cfg.hasCode {
		fmt.Fprint(stderr, usage)
		return cfg, 1, true
	}
	return cfg, 0, false
}

// parseDuration reads a duration as Go writes it (10s, 1m30s, 500ms) or
// as plain milliseconds, like the other options' values.
func parseDuration(s string) (time.Duration, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		return time.Duration(n) * time.Millisecond, true
	}
	d, err := time.ParseDuration(s)
	return d, err == nil
}

func run(argv []string, stdout, stderr io.Writer) int {
	if isStubsCommand(argv) {
		return runStubs(argv, stdout, stderr)
	}
	cfg, code, done := parseArgs(argv, stdout, stderr)
	if done {
		return code
	}
	if cfg.workers > 1 {
		// The workers' tasks (and NATS's log) write to these from many
		// goroutines; an *os.File is safe for that, a caller's buffer may
		// not be.
		stdout, stderr = &lockedWriter{w: stdout}, &lockedWriter{w: stderr}
	}
	logger, logOpts := cfg.logging(stderr)
	fail := func(text string, err error) int {
		if logger != nil {
			logger.Error("golua-ws: "+text+err.Error(), "error", err.Error())
		} else {
			fmt.Fprintf(stderr, "golua-ws: %s%v\n", text, err)
		}
		return 1
	}
	b, err := openBus(busURL(cfg.busURL, cfg.busSet, os.Getenv), os.Getenv, stderr, logger)
	if err != nil {
		return fail("", err)
	}
	defer b.Close()
	// The endpoint is up before any script runs: a scrape never misses
	// what the scripts count from their start.
	metricsCtx, stopMetrics := context.WithCancel(context.Background())
	defer stopMetrics()
	var metricOpts []runtime.Option
	if cfg.metricsAddr != "" {
		reg, set, err := metrics.NewRegistry()
		if err == nil {
			_, err = metrics.Serve(metricsCtx, cfg.metricsAddr, reg)
		}
		if err != nil {
			return fail("--metrics: ", err)
		}
		metricOpts = set.Options()
	}
	pool, err := worker.NewPool(worker.Config{
		Workers: cfg.workers,
		Accept:  cfg.accept,
		Options: append(append(metricOpts, logOpts...),
			bus.WithBus(b),
			runtime.WithStdout(stdout),
			runtime.WithStderr(stderr),
			runtime.WithFatalErrors(cfg.fatalErrors),
			runtime.WithPackagePath(cfg.paths...),
			runtime.WithWatchdog(cfg.watchdog, false),
			runtime.WithMaxTasks(cfg.maxTasks),
			runtime.WithIdleGC(cfg.idleGC),
			runtime.WithShutdownTimeout(cfg.shutdown),
		),
		WorkerOptions: func(id int) []runtime.Option {
			if logger == nil || cfg.workers == 1 {
				return nil
			}
			// Each worker's records say which worker wrote them.
			return []runtime.Option{runtime.WithStructuredLog(logger.With("worker", id))}
		},
		Setup: luamod.Register,
	})
	if err != nil {
		return fail("", err)
	}
	// Everything process-wide below (signals, --pprof, --watch) ends with
	// the pool.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-pool.Done()
		cancel()
	}()

	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGUSR1, syscall.SIGUSR2)
	defer signal.Stop(sigs)
	go func() {
		for {
			select {
			case sig := <-sigs:
				pool.Signal(sig)
			case <-ctx.Done():
				return
			}
		}
	}()

	if cfg.pprofAddr != "" {
		if err := servePprof(ctx, cfg.pprofAddr); err != nil {
			_ = pool.Shutdown(context.Background(), 1)
			return fail("--pprof: ", err)
		}
	}
	if cfg.watch {
		for _, rt := range pool.Runtimes() {
			go rt.Watch(ctx, 300*time.Millisecond)
		}
	}
	if cfg.workers > 1 {
		// A script that does not compile would fail the same way in every
		// worker: say so once.
		first := pool.Runtimes()[0]
		if err := first.Do(ctx, func(*runtime.Task) error {
			var err error
			if cfg.hasCode {
				_, err = first.Compile([]byte(cfg.code), "=(command line)")
			} else {
				_, err = first.LoadFile(cfg.script)
			}
			return err
		}); err != nil {
			if logger != nil {
				logger.LogAttrs(ctx, slog.LevelError, "cannot load the main script", runtime.ErrorAttrs(err.Error())...)
			} else {
				fmt.Fprintln(stderr, err)
			}
			_ = pool.Shutdown(context.Background(), 1)
			return 1
		}
	}
	code, _ = pool.Run(context.Background(), func(rt *runtime.Runtime) {
		if cfg.hasCode {
			rt.RunString(cfg.code, "=(command line)", cfg.args...)
		} else {
			rt.RunFile(cfg.script, cfg.args...)
		}
	})
	return code
}

// logging returns the logger --log-format json writes through (nil for
// text) and the runtime options of both log options.
func (cfg config) logging(stderr io.Writer) (*slog.Logger, []runtime.Option) {
	var opts []runtime.Option
	if cfg.logLevelSet {
		opts = append(opts, runtime.WithLogLevel(cfg.logLevel))
	}
	if !cfg.logJSON {
		return nil, opts
	}
	h := slog.NewJSONHandler(stderr, &slog.HandlerOptions{
		Level: cfg.logLevel, // info when not given
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			// "message" reads better to an operator than slog's "msg".
			if len(groups) == 0 && a.Key == slog.MessageKey {
				a.Key = "message"
			}
			return a
		},
	})
	script := cfg.script
	if cfg.hasCode {
		script = "(command line)"
	}
	logger := slog.New(h).With("script", script)
	return logger, append(opts, runtime.WithStructuredLog(logger))
}

// lockedWriter serialises writes to w.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
