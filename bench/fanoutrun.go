package bench

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// The fan-out setups RunFanout compares.
const (
	// FanoutEmbedded is one golua-ws process with golua.bus embedded: the
	// publisher and every subscriber on it.
	FanoutEmbedded = "embedded"
	// FanoutNATS is two golua-ws processes with --bus on one nats-server:
	// the subscribers alternate between them, the publisher is on the
	// first.
	FanoutNATS = "nats"
)

// FanoutBenchConfig configures RunFanout.
type FanoutBenchConfig struct {
	// Root is the repository root (default: found from the working
	// directory).
	Root string
	// GoluaWS is the golua-ws binary (default: built from Root);
	// NATSServer the nats-server binary (default: FindNATSServer).
	GoluaWS, NATSServer string
	// Dialects are the chat scripts to run: eco, silly (default both).
	Dialects []string
	// Subscribers are the subscriber counts (default 1000, 10000).
	Subscribers []int
	// Setups to compare (default embedded, nats); the first is the
	// baseline of the ratios.
	Setups []string
	// Messages, Window: see FanoutConfig (defaults 100 and 4).
	Messages, Window int
	// Workers is each process's --workers (default 1: the flag is not
	// passed).
	Workers int
	// Rounds runs every cell this many times, alternating the setups, and
	// keeps each setup's median run (default 1).
	Rounds int
	// Client is the load client library (default gorilla).
	Client Client
	// Log receives progress lines (nil: discarded).
	Log io.Writer
}

func (c *FanoutBenchConfig) setDefaults() error {
	if c.Root == "" {
		root, err := FindRoot()
		if err != nil {
			return err
		}
		c.Root = root
	}
	if len(c.Dialects) == 0 {
		c.Dialects = []string{TargetEco, TargetSilly}
	}
	for _, d := range c.Dialects {
		if d != TargetEco && d != TargetSilly {
			return fmt.Errorf("bench: unknown dialect %q (want eco or silly)", d)
		}
	}
	if len(c.Subscribers) == 0 {
		c.Subscribers = []int{1000, 10000}
	}
	if len(c.Setups) == 0 {
		c.Setups = []string{FanoutEmbedded, FanoutNATS}
	}
	for _, s := range c.Setups {
		if s != FanoutEmbedded && s != FanoutNATS {
			return fmt.Errorf("bench: unknown fan-out setup %q (want embedded or nats)", s)
		}
	}
	if c.Messages <= 0 {
		c.Messages = 100
	}
	if c.Window <= 0 {
		c.Window = 4
	}
	if c.Rounds <= 0 {
		c.Rounds = 1
	}
	if c.Log == nil {
		c.Log = io.Discard
	}
	return nil
}

// FanoutCell is one measurement of RunFanout.
type FanoutCell struct {
	Dialect     string
	Setup       string
	Subscribers int
	Result      FanoutResult
}

// FanoutReport is the outcome of RunFanout.
type FanoutReport struct {
	Config FanoutBenchConfig
	Cells  []FanoutCell
}

// Failed reports whether any cell lost messages or saw errors.
func (r *FanoutReport) Failed() bool {
	for _, c := range r.Cells {
		if c.Result.Failed() || c.Result.Subscribers < c.Subscribers {
			return true
		}
	}
	return false
}

// RunFanout measures chat fan-out for every dialect × subscriber count ×
// setup, each cell on freshly started processes (and a fresh nats-server),
// the setups alternating within each round so every ratio compares runs
// taken moments apart. The chat scripts run with CHAT_PRESENCE=off: with
// presence notices every join would be a message to every client already
// there. Losses and errors are recorded in the report; the error is for a
// harness failure.
func RunFanout(ctx context.Context, cfg FanoutBenchConfig) (*FanoutReport, error) {
	if err := cfg.setDefaults(); err != nil {
		return nil, err
	}
	if err := RaiseFileLimit(); err != nil {
		fmt.Fprintln(cfg.Log, "warning:", err)
	}
	needNATS := slices.Contains(cfg.Setups, FanoutNATS)
	if needNATS && cfg.NATSServer == "" {
		bin, err := FindNATSServer()
		if err != nil {
			return nil, fmt.Errorf("bench: fan-out over NATS: %w", err)
		}
		cfg.NATSServer = bin
	}
	if cfg.GoluaWS == "" {
		tmp, err := os.MkdirTemp("", "wsbench-fanout-")
		if err != nil {
			return nil, fmt.Errorf("bench: %w", err)
		}
		defer os.RemoveAll(tmp)
		if cfg.GoluaWS, err = GoBuild(ctx, cfg.Root, "./cmd/golua-ws", tmp); err != nil {
			return nil, err
		}
	}
	rep := &FanoutReport{Config: cfg}
	for _, dialect := range cfg.Dialects {
		for _, subs := range cfg.Subscribers {
			runs := make([][]FanoutResult, len(cfg.Setups))
			for round := 0; round < cfg.Rounds; round++ {
				for i, setup := range cfg.Setups {
					res, err := fanoutCell(ctx, cfg, dialect, setup, subs)
					if err != nil {
						return rep, err
					}
					fmt.Fprintf(cfg.Log, "%-5s %-8s %s\n", dialect, setup, res)
					runs[i] = append(runs[i], res)
				}
			}
			for i, setup := range cfg.Setups {
				rep.Cells = append(rep.Cells, FanoutCell{Dialect: dialect, Setup: setup, Subscribers: subs, Result: medianFanout(runs[i])})
			}
		}
	}
	return rep, nil
}

// fanoutCell starts the setup's processes, runs one measurement and stops
// them.
func fanoutCell(ctx context.Context, cfg FanoutBenchConfig, dialect, setup string, subs int) (FanoutResult, error) {
	nodes, busURL := 1, ""
	var pids []int
	if setup == FanoutNATS {
		nodes = 2
		addr, err := FreeAddr()
		if err != nil {
			return FanoutResult{}, err
		}
		port, _ := strconv.Atoi(addr[strings.LastIndexByte(addr, ':')+1:])
		nats, err := StartNATS(ctx, cfg.NATSServer, port)
		if err != nil {
			return FanoutResult{}, err
		}
		defer nats.Stop()
		busURL = nats.URL()
		pids = append(pids, nats.Pid())
	}
	var urls []string
	for i := 0; i < nodes; i++ {
		p, url, err := startChat(ctx, cfg, dialect, busURL)
		if err != nil {
			return FanoutResult{}, err
		}
		defer p.Stop()
		urls = append(urls, url)
		pids = append(pids, p.Pid())
	}
	res, err := Fanout(ctx, FanoutConfig{
		SubscriberURLs: urls, PublisherURL: urls[0], Subscribers: subs,
		Messages: cfg.Messages, Window: cfg.Window, Client: cfg.Client, ServerPids: pids,
	})
	time.Sleep(200 * time.Millisecond) // let the servers see the closes before they stop
	return res, err
}

// startChat starts one golua-ws process running the dialect's chat script
// on a free port, on the bus at busURL (empty: embedded).
func startChat(ctx context.Context, cfg FanoutBenchConfig, dialect, busURL string) (*Process, string, error) {
	addr, err := FreeAddr()
	if err != nil {
		return nil, "", err
	}
	argv := []string{cfg.GoluaWS}
	if cfg.Workers > 1 {
		argv = append(argv, "--workers", strconv.Itoa(cfg.Workers))
	}
	if busURL != "" {
		argv = append(argv, "--bus", busURL)
	}
	script := filepath.Join(cfg.Root, "scripts", dialect, "chat.lua")
	if dialect == TargetEco {
		argv = append(argv, script, addr[strings.LastIndexByte(addr, ':')+1:]) // the eco chat takes a port
	} else {
		argv = append(argv, script, addr)
	}
	// GOLUA_BUS from the caller's environment must not turn the embedded
	// setup into a NATS one.
	env := []string{"CHAT_PRESENCE=off", "GOLUA_BUS=" + busURL}
	p, err := StartProcess(dialect+" chat", argv, cfg.Root, env)
	if err != nil {
		return nil, "", err
	}
	if err := p.WaitForPort(ctx, addr, 20*time.Second); err != nil {
		p.Stop()
		return nil, "", err
	}
	return p, "ws://" + addr + "/ws", nil
}

// medianFanout returns the run with the median delivery rate; a failed run
// wins, so losses are never hidden by the other rounds.
func medianFanout(runs []FanoutResult) FanoutResult {
	for _, r := range runs {
		if r.Failed() {
			return r
		}
	}
	sorted := slices.Clone(runs)
	slices.SortFunc(sorted, func(a, b FanoutResult) int { return cmp.Compare(a.DeliveredPerSec, b.DeliveredPerSec) })
	return sorted[len(sorted)/2]
}

// baseline returns the cell of the first setup with the same dialect and
// subscriber count.
func (r *FanoutReport) baseline(c FanoutCell) (FanoutResult, bool) {
	for _, b := range r.Cells {
		if b.Setup == r.Config.Setups[0] && b.Dialect == c.Dialect && b.Subscribers == c.Subscribers {
			return b.Result, true
		}
	}
	return FanoutResult{}, false
}

// Table renders the report as a Markdown table, with ratios to the first
// setup measured in the same run.
func (r *FanoutReport) Table() string {
	var b strings.Builder
	cfg := r.Config
	workers := max(cfg.Workers, 1)
	fmt.Fprintf(&b, "Fan-out: one publisher, %d messages per cell, at most %d in flight; chat scripts with CHAT_PRESENCE=off, --workers %d per process; client %s",
		cfg.Messages, cfg.Window, workers, clientName(cfg.Client))
	if cfg.Rounds > 1 {
		fmt.Fprintf(&b, "; each cell run %d times alternating the setups, median shown", cfg.Rounds)
	}
	b.WriteString(".\n")
	fmt.Fprintf(&b, "Setups: %s = one golua-ws process, embedded bus; %s = two golua-ws processes on one nats-server (server CPU includes nats-server).\n", FanoutEmbedded, FanoutNATS)
	fmt.Fprintf(&b, "Ratios are to %s in the same run (deliveries/s: higher is better; CPU/delivery: lower is better).\n\n", cfg.Setups[0])
	var t strings.Builder
	tw := tabwriter.NewWriter(&t, 0, 0, 1, ' ', tabwriter.Debug)
	fmt.Fprintln(tw, "| dialect\t subscribers\t setup\t deliveries/s\t ×\t p50\t p99\t server CPU/delivery\t ×\t client CPU/delivery\t lost\t errors\t")
	fmt.Fprintln(tw, "|---\t---\t---\t---\t---\t---\t---\t---\t---\t---\t---\t---\t")
	for _, c := range r.Cells {
		tput, cpu := "-", "-"
		if base, ok := r.baseline(c); ok && c.Setup != cfg.Setups[0] {
			if base.DeliveredPerSec > 0 {
				tput = fmt.Sprintf("%.2f", c.Result.DeliveredPerSec/base.DeliveredPerSec)
			}
			if bc := base.ServerCPUPerDelivery(); bc > 0 {
				cpu = fmt.Sprintf("%.2f", float64(c.Result.ServerCPUPerDelivery())/float64(bc))
			}
		}
		subs := strconv.Itoa(c.Subscribers)
		if c.Result.Subscribers < c.Subscribers {
			subs += fmt.Sprintf(" (%d open)", c.Result.Subscribers)
		}
		fmt.Fprintf(tw, "| %s\t %s\t %s\t %.0f\t %s\t %s\t %s\t %s\t %s\t %s\t %d\t %d\t\n",
			c.Dialect, subs, c.Setup, c.Result.DeliveredPerSec, tput, fmtDur(c.Result.P50), fmtDur(c.Result.P99),
			fmtDur(c.Result.ServerCPUPerDelivery()), cpu, fmtDur(c.Result.ClientCPUPerDelivery()), c.Result.Lost, c.Result.Errors)
	}
	tw.Flush()
	b.WriteString(strings.ReplaceAll(t.String(), "\t", ""))
	for _, c := range r.Cells {
		if c.Result.FirstError != "" {
			fmt.Fprintf(&b, "\nfirst error, %s %s %d subscribers: %s", c.Dialect, c.Setup, c.Subscribers, c.Result.FirstError)
		}
	}
	b.WriteString("\n")
	return b.String()
}
