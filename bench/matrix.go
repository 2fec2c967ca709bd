package bench

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// The targets the harness knows. wscore is the baseline every ratio refers to.
const (
	TargetWscore  = "wscore"
	TargetGorilla = "gorilla"
	TargetEco     = "eco"
	TargetSilly   = "silly"
	// BaseSuffix marks a Lua target run with MatrixConfig.GoluaWSBase
	// instead of GoluaWS ("eco-base", "silly-base"), so a change and the
	// build before it are measured side by side in one run.
	BaseSuffix = "-base"
)

// Goals from the project's issues #4 and #5.
const (
	GoalThroughputRatio = 0.70 // of wscore's msgs/s with 100 connections and 1 KiB messages
	GoalIdleKiB         = 12.0 // server memory per idle connection (issue 14)
)

// MatrixConfig configures RunMatrix.
type MatrixConfig struct {
	// Root is the repository root (default: found upwards from the working
	// directory by looking for go.mod and scripts/).
	Root string
	// Targets to run, among wscore, gorilla, eco and silly. wscore is always
	// run (first), since every ratio refers to it.
	Targets []string
	// Conns and Sizes span the matrix (defaults 1,100,1000 and 16,1024,65536).
	Conns, Sizes []int
	// Duration and Warmup of each cell (defaults 2 s and 500 ms).
	Duration, Warmup time.Duration
	// Rounds runs every cell this many times, alternating the targets, and
	// keeps each target's median-throughput run (default 1). On a shared
	// machine, rounds > 1 shrink the effect of other load on the ratios.
	Rounds int
	// IdleCounts are the idle connection counts of the memory test (each on
	// a fresh server process). Empty skips the memory test.
	IdleCounts []int
	// Client is the load client library (default gorilla).
	Client Client
	// Wsbench is the wsbench binary that serves the Go baselines (-serve);
	// GoluaWS is the golua-ws binary. Empty ones are built with go build.
	Wsbench, GoluaWS string
	// GoluaWSBase is the golua-ws binary the "-base" targets (eco-base,
	// silly-base) run with: a build from before a change, so before and
	// after share one run and one machine state.
	GoluaWSBase string
	// Log receives progress lines (nil: discarded).
	Log io.Writer
}

func (c *MatrixConfig) setDefaults() error {
	if c.Root == "" {
		root, err := FindRoot()
		if err != nil {
			return err
		}
		c.Root = root
	}
	if len(c.Conns) == 0 {
		c.Conns = []int{1, 100, 1000}
	}
	if len(c.Sizes) == 0 {
		c.Sizes = []int{16, 1024, 64 << 10}
	}
	if c.Duration <= 0 {
		c.Duration = 2 * time.Second
	}
	if c.Rounds <= 0 {
		c.Rounds = 1
	}
	if c.Warmup < 0 {
		c.Warmup = 0
	}
	if c.Log == nil {
		c.Log = io.Discard
	}
	targets := []string{TargetWscore}
	for _, t := range c.Targets {
		t = strings.TrimSpace(t)
		switch t {
		case "", TargetWscore:
		case TargetGorilla, TargetEco, TargetSilly:
			targets = append(targets, t)
		case TargetEco + BaseSuffix, TargetSilly + BaseSuffix:
			if c.GoluaWSBase == "" {
				return fmt.Errorf("bench: target %q needs the base binary (GoluaWSBase, wsbench -golua-ws-base)", t)
			}
			targets = append(targets, t)
		default:
			if _, _, _, ok := ParseWorkersTarget(t); ok {
				targets = append(targets, t)
				break
			}
			return fmt.Errorf("bench: unknown target %q (want wscore, gorilla, eco, silly, eco-base, silly-base, or eco-wN/silly-wN[r] for --workers N)", t)
		}
	}
	if len(c.Targets) == 0 {
		targets = []string{TargetWscore, TargetGorilla, TargetEco, TargetSilly}
	}
	c.Targets = targets
	return nil
}

// goluaWSFor is the golua-ws binary target runs with: GoluaWSBase for a
// "-base" target, else GoluaWS.
func (c *MatrixConfig) goluaWSFor(target string) string {
	if strings.HasSuffix(target, BaseSuffix) {
		return c.GoluaWSBase
	}
	return c.GoluaWS
}

// FindRoot walks up from the working directory to the golua-ws repository
// root (the directory with go.mod and cmd/golua-ws).
func FindRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("bench: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "cmd", "golua-ws")); err == nil {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				return dir, nil
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("bench: repository root (go.mod with cmd/golua-ws) not found above the working directory")
		}
		dir = parent
	}
}

// GoBuild builds the main package pkg (e.g. "./cmd/golua-ws") of the module
// at root into dir and returns the binary's path.
func GoBuild(ctx context.Context, root, pkg, dir string) (string, error) {
	out := filepath.Join(dir, filepath.Base(pkg))
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, pkg)
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("bench: go build %s: %w\n%s", pkg, err, b)
	}
	return out, nil
}

// Target is one echo server the harness can start.
type Target struct {
	Name string
	// Argv, Dir and Env start the server process.
	Argv []string
	Dir  string
	Env  []string
	// Addr is the 127.0.0.1 address the load client connects to.
	Addr string
	// Note says anything the report should mention (how the port is set).
	Note string
}

// URL is the WebSocket URL of the target's echo endpoint.
func (t Target) URL() string { return "ws://" + t.Addr + "/ws" }

// ErrNoScript reports a Lua target whose echo script is not in the tree.
var ErrNoScript = errors.New("bench: echo script not found")

// NewTarget describes target name on a fresh free port. wsbench and goluaWS
// are the binaries; root is the repository root. A Lua target whose script
// does not exist yields an error wrapping ErrNoScript.
func NewTarget(name, root, wsbench, goluaWS string) (Target, error) {
	addr, err := FreeAddr()
	if err != nil {
		return Target{}, err
	}
	port := addr[strings.LastIndexByte(addr, ':')+1:]
	t := Target{Name: name, Addr: addr, Dir: root}
	var workerFlags []string
	if base, n, reuse, ok := ParseWorkersTarget(name); ok {
		// eco-w2 is the eco target under --workers 2; a trailing r picks
		// --accept reuseport.
		name = base
		workerFlags = []string{"--workers", strconv.Itoa(n)}
		if reuse {
			workerFlags = append(workerFlags, "--accept", "reuseport")
		}
	}
	// A "-base" target is the same script run by another binary.
	switch strings.TrimSuffix(name, BaseSuffix) {
	case TargetWscore, TargetGorilla:
		t.Argv = []string{wsbench, "-serve", name, "-addr", addr}
		t.Note = "pure Go (" + name + "), wsbench -serve, separate process"
	case TargetEco, TargetSilly:
		dialect := strings.TrimSuffix(name, BaseSuffix)
		script := filepath.Join(root, "scripts", dialect, "echo_server.lua")
		if _, err := os.Stat(script); err != nil {
			return Target{}, fmt.Errorf("%w: %s", ErrNoScript, script)
		}
		goluaWS := append([]string{goluaWS}, workerFlags...)
		if dialect == TargetEco {
			// The eco script takes its port as arg[1] (or PORT); it listens
			// on every address, and the client uses 127.0.0.1. QUIET stops
			// it from printing every connection's end.
			t.Argv = append(goluaWS, script, port)
			t.Env = []string{"QUIET=1"}
			t.Note = "scripts/eco/echo_server.lua PORT (binds 0.0.0.0:PORT; client uses 127.0.0.1)"
		} else {
			// The silly script takes its listen address as arg[1].
			t.Argv = append(goluaWS, script, addr)
			t.Note = "scripts/silly/echo_server.lua 127.0.0.1:PORT"
		}
		if workerFlags != nil {
			t.Note += ", " + strings.Join(workerFlags, " ")
		}
	default:
		return Target{}, fmt.Errorf("bench: unknown target %q", name)
	}
	return t, nil
}

// ParseWorkersTarget reads a Lua target run under golua-ws --workers:
// "eco-w2" is eco with --workers 2, "silly-w4r" silly with --workers 4
// --accept reuseport.
func ParseWorkersTarget(name string) (base string, workers int, reusePort bool, ok bool) {
	i := strings.LastIndex(name, "-w")
	if i < 0 {
		return "", 0, false, false
	}
	base, num := name[:i], name[i+2:]
	if base != TargetEco && base != TargetSilly {
		return "", 0, false, false
	}
	if strings.HasSuffix(num, "r") {
		reusePort, num = true, num[:len(num)-1]
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 1 {
		return "", 0, false, false
	}
	return base, n, reusePort, true
}

// Start starts the target's process and waits (up to 20 s) until it listens.
func (t Target) Start(ctx context.Context) (*Process, error) {
	p, err := StartProcess(t.Name, t.Argv, t.Dir, t.Env)
	if err != nil {
		return nil, err
	}
	if err := p.WaitForPort(ctx, t.Addr, 20*time.Second); err != nil {
		p.Stop()
		return nil, err
	}
	return p, nil
}

// Cell is one measurement of the matrix.
type Cell struct {
	Target string
	Conns  int
	Size   int
	Result LoadResult
}

// IdleResult is the memory test of one target at one connection count.
type IdleResult struct {
	Target     string
	Conns      int   // idle connections held
	RSSBefore  int64 // settled RSS after the warm-up, bytes
	RSSAfter   int64 // settled RSS with the connections open, bytes
	KiBPerConn float64
	Dropped    int    // connections the server ended during the test
	Err        string // why the measurement failed, if it did
}

// Report is the outcome of RunMatrix.
type Report struct {
	Config MatrixConfig
	Notes  []string // how each target was run, targets skipped
	Cells  []Cell
	Idle   []IdleResult
}

// Baseline returns the wscore measurement for the same conns and size.
func (r *Report) Baseline(conns, size int) (LoadResult, bool) {
	for _, c := range r.Cells {
		if c.Target == TargetWscore && c.Conns == conns && c.Size == size {
			return c.Result, true
		}
	}
	return LoadResult{}, false
}

// Failed reports whether any measurement saw errors or mismatches.
func (r *Report) Failed() bool {
	for _, c := range r.Cells {
		if c.Result.Failed() || c.Result.Conns < c.Conns {
			return true
		}
	}
	for _, i := range r.Idle {
		if i.Err != "" || i.Dropped > 0 {
			return true
		}
	}
	return false
}

// RunMatrix starts every target as its own process on a free 127.0.0.1
// port, runs every conns × size cell against each (the wscore baseline first
// in each cell, so all ratios compare measurements taken moments apart), then
// measures memory per idle connection on fresh processes. Errors and
// mismatches are recorded in the report; the error is for a harness failure
// (a target that cannot be built or started).
func RunMatrix(ctx context.Context, cfg MatrixConfig) (*Report, error) {
	if err := cfg.setDefaults(); err != nil {
		return nil, err
	}
	if err := RaiseFileLimit(); err != nil {
		fmt.Fprintln(cfg.Log, "warning:", err)
	}
	tmp, err := os.MkdirTemp("", "wsbench-")
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	defer os.RemoveAll(tmp)
	if cfg.Wsbench == "" {
		if cfg.Wsbench, err = GoBuild(ctx, cfg.Root, "./cmd/wsbench", tmp); err != nil {
			return nil, err
		}
	}
	if cfg.GoluaWS == "" {
		if cfg.GoluaWS, err = GoBuild(ctx, cfg.Root, "./cmd/golua-ws", tmp); err != nil {
			return nil, err
		}
	}
	rep := &Report{Config: cfg}

	var targets []Target
	procs := map[string]*Process{}
	defer func() {
		for _, p := range procs {
			p.Stop()
		}
	}()
	for _, name := range cfg.Targets {
		t, err := NewTarget(name, cfg.Root, cfg.Wsbench, cfg.goluaWSFor(name))
		if errors.Is(err, ErrNoScript) {
			rep.Notes = append(rep.Notes, fmt.Sprintf("%s: skipped (%v)", name, err))
			continue
		}
		if err != nil {
			return nil, err
		}
		p, err := t.Start(ctx)
		if err != nil {
			return nil, err
		}
		procs[name] = p
		targets = append(targets, t)
		rep.Notes = append(rep.Notes, fmt.Sprintf("%s: %s", name, t.Note))
		fmt.Fprintf(cfg.Log, "started %s (pid %d) on %s\n", name, p.Pid(), t.URL())
	}

	for _, conns := range cfg.Conns {
		for _, size := range cfg.Sizes {
			runs := make([][]LoadResult, len(targets))
			for round := 0; round < cfg.Rounds; round++ {
				for i, t := range targets {
					if ctx.Err() != nil {
						return rep, ctx.Err()
					}
					res, err := Load(ctx, LoadConfig{
						URL: t.URL(), Conns: conns, Size: size, Duration: cfg.Duration,
						Warmup: cfg.Warmup, Client: cfg.Client, ServerPid: procs[t.Name].Pid(),
					})
					if err != nil {
						return rep, err
					}
					if procs[t.Name].Exited() {
						res.Errors++
						res.FirstError = "server exited: " + lastLines(procs[t.Name].Output(), 5)
					}
					runs[i] = append(runs[i], res)
					fmt.Fprintf(cfg.Log, "%-8s %s\n", t.Name, res)
					time.Sleep(200 * time.Millisecond) // let closes finish before the next run
				}
			}
			for i, t := range targets {
				rep.Cells = append(rep.Cells, Cell{Target: t.Name, Conns: conns, Size: size, Result: medianRun(runs[i])})
			}
		}
	}
	for _, p := range procs {
		p.Stop()
	}
	clear(procs)

	for _, n := range cfg.IdleCounts {
		for _, t := range targets {
			if ctx.Err() != nil {
				return rep, ctx.Err()
			}
			r := MeasureIdle(ctx, t.Name, cfg.Root, cfg.Wsbench, cfg.goluaWSFor(t.Name), n, cfg.Client)
			rep.Idle = append(rep.Idle, r)
			if r.Err != "" {
				fmt.Fprintf(cfg.Log, "idle %-8s n=%d: %s\n", t.Name, n, r.Err)
			} else {
				fmt.Fprintf(cfg.Log, "idle %-8s n=%d: %.1f KiB/conn (RSS %d -> %d KiB)\n",
					t.Name, n, r.KiBPerConn, r.RSSBefore>>10, r.RSSAfter>>10)
			}
		}
	}
	return rep, nil
}

// MeasureIdle starts a fresh process of the target, warms it up with a
// short load (10 connections × 1 KiB × 300 ms), records its settled RSS,
// opens n idle connections, and records the settled RSS again. The growth
// divided by n is the server's memory per idle connection.
func MeasureIdle(ctx context.Context, name, root, wsbench, goluaWS string, n int, client Client) IdleResult {
	r := IdleResult{Target: name, Conns: n}
	t, err := NewTarget(name, root, wsbench, goluaWS)
	if err != nil {
		r.Err = err.Error()
		return r
	}
	p, err := t.Start(ctx)
	if err != nil {
		r.Err = err.Error()
		return r
	}
	defer p.Stop()
	warm, err := Load(ctx, LoadConfig{URL: t.URL(), Conns: 10, Size: 1024, Duration: 300 * time.Millisecond, Client: client})
	if err != nil || warm.Failed() {
		r.Err = fmt.Sprintf("warm-up failed: %v %s", err, warm.FirstError)
		return r
	}
	if r.RSSBefore, err = p.SettledRSS(time.Second, 5*time.Second); err != nil {
		r.Err = err.Error()
		return r
	}
	set, err := OpenIdle(ctx, client, t.URL(), n, 64)
	if err != nil {
		r.Err = err.Error()
		return r
	}
	defer set.Close()
	// Give the server time to finish every handshake and park every task.
	time.Sleep(500 * time.Millisecond)
	if r.RSSAfter, err = p.SettledRSS(2*time.Second, 15*time.Second); err != nil {
		r.Err = err.Error()
		return r
	}
	r.Dropped = set.Dropped()
	r.KiBPerConn = float64(r.RSSAfter-r.RSSBefore) / 1024 / float64(n)
	return r
}

// medianRun returns the run with the median throughput; a failed run wins,
// so errors are never hidden by the other rounds.
func medianRun(runs []LoadResult) LoadResult {
	for _, r := range runs {
		if r.Failed() {
			return r
		}
	}
	sorted := slices.Clone(runs)
	slices.SortFunc(sorted, func(a, b LoadResult) int { return cmp.Compare(a.MsgsPerSec, b.MsgsPerSec) })
	return sorted[len(sorted)/2]
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}

// SizeLabel prints a message size the way the issues do (16 B, 1 KiB, 64 KiB).
func SizeLabel(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

// Table renders the report as Markdown tables: throughput and p99 latency
// for every cell with ratios to wscore, the goal check, and memory per idle
// connection.
func (r *Report) Table() string {
	var b strings.Builder
	if len(r.Cells) > 0 {
		r.loadTable(&b)
		r.gorillaTable(&b)
	}
	r.idleTable(&b)
	return b.String()
}

func (r *Report) loadTable(out *strings.Builder) {
	var b strings.Builder
	cfg := r.Config
	fmt.Fprintf(&b, "Echo load: closed loop per connection, %s measured after %s warm-up per cell, client %s, all on 127.0.0.1",
		cfg.Duration, cfg.Warmup, clientName(cfg.Client))
	if cfg.Rounds > 1 {
		fmt.Fprintf(&b, "; each cell run %d times alternating the targets, median-throughput run shown", cfg.Rounds)
	}
	b.WriteString(".\n")
	fmt.Fprintf(&b, "Ratios are to the wscore baseline measured in the same run (msg/s: higher is better; p99 and CPU/msg: lower is better).\n")
	fmt.Fprintf(&b, "CPU/msg is user+system CPU time per echoed message over the window (server process from /proc; client = the load generator).\n\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 1, ' ', tabwriter.Debug)
	fmt.Fprintln(tw, "| conns\t size\t target\t msg/s\t × wscore\t p99\t × wscore\t server CPU/msg\t × wscore\t client CPU/msg\t errors\t")
	fmt.Fprintln(tw, "|---\t---\t---\t---\t---\t---\t---\t---\t---\t---\t---\t")
	for _, c := range r.Cells {
		base, ok := r.Baseline(c.Conns, c.Size)
		tput, lat, cpu := "-", "-", "-"
		if ok && c.Target != TargetWscore {
			if b := base.ServerCPUPerMsg(); b > 0 {
				cpu = fmt.Sprintf("%.2f", float64(c.Result.ServerCPUPerMsg())/float64(b))
			}
			if base.MsgsPerSec > 0 {
				tput = fmt.Sprintf("%.2f", c.Result.MsgsPerSec/base.MsgsPerSec)
			}
			if base.P99 > 0 {
				lat = fmt.Sprintf("%.2f", float64(c.Result.P99)/float64(base.P99))
			}
		}
		errs := fmt.Sprintf("%d", c.Result.Errors+c.Result.Mismatches)
		if c.Result.Conns < c.Conns {
			errs += fmt.Sprintf(" (%d/%d conns)", c.Result.Conns, c.Conns)
		}
		fmt.Fprintf(tw, "| %d\t %s\t %s\t %.0f\t %s\t %s\t %s\t %s\t %s\t %s\t %s\t\n",
			c.Conns, SizeLabel(c.Size), c.Target, c.Result.MsgsPerSec, tput, fmtDur(c.Result.P99), lat,
			fmtDur(c.Result.ServerCPUPerMsg()), cpu, fmtDur(c.Result.ClientCPUPerMsg()), errs)
	}
	tw.Flush()
	// tabwriter.Debug draws '|' between columns; make the rows valid Markdown.
	rows := strings.ReplaceAll(b.String(), "\t", "")
	b.Reset()
	b.WriteString(rows)

	for _, c := range r.Cells {
		if c.Conns != 100 || c.Size != 1024 || (c.Target != TargetEco && c.Target != TargetSilly) {
			continue
		}
		if base, ok := r.Baseline(100, 1024); ok && base.MsgsPerSec > 0 {
			ratio := c.Result.MsgsPerSec / base.MsgsPerSec
			fmt.Fprintf(&b, "\nGoal (100 conns × 1 KiB ≥ %.0f%% of wscore): %s %.0f%% — %s", GoalThroughputRatio*100,
				c.Target, ratio*100, passFail(ratio >= GoalThroughputRatio))
		}
	}
	b.WriteString("\n")
	for _, e := range r.Cells {
		if e.Result.FirstError != "" {
			fmt.Fprintf(&b, "\nfirst error, %s %d conns × %s: %s", e.Target, e.Conns, SizeLabel(e.Size), e.Result.FirstError)
		}
	}

	out.WriteString(b.String())
}

// gorillaTable summarises server CPU per message of every other target as
// a ratio to the gorilla server's in the same cell (the pure-Go figure
// issue #14 measures against), one row per cell, when gorilla was run.
func (r *Report) gorillaTable(b *strings.Builder) {
	var others []string
	hasGorilla := false
	for _, t := range r.Config.Targets {
		switch t {
		case TargetGorilla:
			hasGorilla = true
		case TargetWscore:
		default:
			others = append(others, t)
		}
	}
	if !hasGorilla || len(others) == 0 {
		return
	}
	cpu := map[[2]int]map[string]time.Duration{}
	var keys [][2]int
	for _, c := range r.Cells {
		k := [2]int{c.Conns, c.Size}
		if cpu[k] == nil {
			cpu[k] = map[string]time.Duration{}
			keys = append(keys, k)
		}
		cpu[k][c.Target] = c.Result.ServerCPUPerMsg()
	}
	b.WriteString("\nServer CPU per message relative to the gorilla server of the same cell:\n\n| conns × size |")
	for _, t := range others {
		b.WriteString(" " + t + " |")
	}
	b.WriteString("\n|---|" + strings.Repeat("---|", len(others)) + "\n")
	for _, k := range keys {
		fmt.Fprintf(b, "| %d × %s |", k[0], SizeLabel(k[1]))
		g := cpu[k][TargetGorilla]
		for _, t := range others {
			if v, ok := cpu[k][t]; ok && g > 0 && v > 0 {
				fmt.Fprintf(b, " %.2f |", float64(v)/float64(g))
			} else {
				b.WriteString(" - |")
			}
		}
		b.WriteString("\n")
	}
}

func (r *Report) idleTable(b *strings.Builder) {
	if len(r.Idle) > 0 {
		b.WriteString("\n\nServer memory per idle connection (RSS growth after opening N idle connections on a fresh, warmed-up process):\n\n")
		fmt.Fprintf(b, "| idle conns | target | KiB/conn | × wscore | RSS before → after | goal ≤ %.0f KiB |\n|---|---|---|---|---|---|\n", GoalIdleKiB)
		for _, i := range r.Idle {
			if i.Err != "" {
				fmt.Fprintf(b, "| %d | %s | error: %s | | | |\n", i.Conns, i.Target, i.Err)
				continue
			}
			ratio := "-"
			for _, base := range r.Idle {
				if base.Target == TargetWscore && base.Conns == i.Conns && base.Err == "" && base.KiBPerConn > 0 && i.Target != TargetWscore {
					ratio = fmt.Sprintf("%.2f", i.KiBPerConn/base.KiBPerConn)
				}
			}
			drop := ""
			if i.Dropped > 0 {
				drop = fmt.Sprintf(" (%d dropped)", i.Dropped)
			}
			fmt.Fprintf(b, "| %d | %s | %.1f%s | %s | %.1f → %.1f MiB | %s |\n", i.Conns, i.Target, i.KiBPerConn, drop, ratio,
				float64(i.RSSBefore)/(1<<20), float64(i.RSSAfter)/(1<<20), passFail(i.KiBPerConn <= GoalIdleKiB))
		}
	}
	if len(r.Notes) > 0 {
		b.WriteString("\nTargets:\n")
		for _, n := range r.Notes {
			b.WriteString("- " + n + "\n")
		}
	}
}

func passFail(ok bool) string {
	if ok {
		return "PASS"
	}
	return "FAIL"
}

func clientName(c Client) string {
	if c == "" {
		return string(ClientGorilla)
	}
	return string(c)
}

// ParseCounts parses a comma-separated list of positive integers
// ("1,100,1000"). Empty entries are ignored.
func ParseCounts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("bench: %q is not a positive integer", f)
		}
		out = append(out, n)
	}
	return out, nil
}
