package bench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/spec/specrun"
)

// binaries builds wsbench (once per test binary) and returns it with the
// golua-ws command and the repository root.
func binaries(t testing.TB) (wsbench, goluaWS, root string) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and starts server processes; skipped with -short")
	}
	root = specrun.Root(t)
	goluaWS = specrun.Binary(t)
	wsbenchOnce.Do(func() {
		wsbenchPath, wsbenchErr = GoBuild(context.Background(), root, "./cmd/wsbench", buildDir)
	})
	if wsbenchErr != nil {
		t.Fatal(wsbenchErr)
	}
	return wsbenchPath, goluaWS, root
}

// The build is shared by the tests of this binary; these live in the test
// file only, so the package itself keeps no mutable state.
var (
	wsbenchOnce sync.Once
	wsbenchPath string
	wsbenchErr  error
	buildDir    string // made and removed by TestMain
)

func TestMain(m *testing.M) {
	// Raise the descriptor limit before any server process starts, so the
	// children inherit it.
	if err := RaiseFileLimit(); err != nil {
		fmt.Fprintln(os.Stderr, "warning:", err)
	}
	dir, err := os.MkdirTemp("", "wsbench-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	buildDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var allTargets = []string{TargetWscore, TargetGorilla, TargetEco, TargetSilly}

// Every target, each started as its own process the way the benchmark starts
// it, echoes binary and text messages byte for byte.
func TestTargetsEcho(t *testing.T) {
	wsbench, goluaWS, root := binaries(t)
	for _, name := range allTargets {
		t.Run(name, func(t *testing.T) {
			tg, err := NewTarget(name, root, wsbench, goluaWS)
			if errors.Is(err, ErrNoScript) {
				t.Skipf("%v (the script is not written yet)", err)
			}
			if err != nil {
				t.Fatal(err)
			}
			p, err := tg.Start(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			defer p.Stop()
			for _, cfg := range []LoadConfig{
				{Conns: 1, Size: 16, Duration: 300 * time.Millisecond},
				{Conns: 2, Size: 64 << 10, Text: true, Duration: 300 * time.Millisecond},
				{Conns: 20, Size: 1024, Duration: 300 * time.Millisecond, Client: ClientWscore},
			} {
				cfg.URL, cfg.ServerPid = tg.URL(), p.Pid()
				res, err := Load(context.Background(), cfg)
				if err != nil {
					t.Fatal(err)
				}
				checkClean(t, name, cfg, res)
				if p.Exited() {
					t.Fatalf("%s exited during the run:\n%s", name, p.Output())
				}
			}
		})
	}
}

// The memory measurement works on every target: a fresh process, no
// dropped connections, and RSS readings from the server's /proc entry.
func TestMeasureIdle(t *testing.T) {
	wsbench, goluaWS, root := binaries(t)
	for _, name := range allTargets {
		r := MeasureIdle(context.Background(), name, root, wsbench, goluaWS, 50, ClientGorilla)
		if strings.Contains(r.Err, ErrNoScript.Error()) {
			continue
		}
		if r.Err != "" || r.Dropped != 0 || r.RSSBefore <= 0 || r.RSSAfter <= 0 {
			t.Errorf("%s: %+v", name, r)
		}
	}
}

// A tiny matrix through the same code path as the real run: every target,
// a wscore row first in each cell, ratios in the table, no failures.
func TestRunMatrixSmall(t *testing.T) {
	wsbench, goluaWS, root := binaries(t)
	rep, err := RunMatrix(context.Background(), MatrixConfig{
		Root: root, Targets: allTargets, Conns: []int{2}, Sizes: []int{16, 1024}, Rounds: 2,
		Duration: 200 * time.Millisecond, Warmup: 50 * time.Millisecond,
		Wsbench: wsbench, GoluaWS: goluaWS,
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed() {
		t.Fatalf("matrix reported failures:\n%s", rep.Table())
	}
	if len(rep.Cells) == 0 || rep.Cells[0].Target != TargetWscore {
		t.Fatalf("the first cell is not the wscore baseline: %+v", rep.Cells)
	}
	table := rep.Table()
	ran := map[string]bool{}
	for _, c := range rep.Cells {
		ran[c.Target] = true
		if _, ok := rep.Baseline(c.Conns, c.Size); !ok {
			t.Errorf("no baseline for %d conns × %d B", c.Conns, c.Size)
		}
	}
	for name := range ran {
		if !strings.Contains(table, "| "+name+" ") {
			t.Errorf("table has no row for %s:\n%s", name, table)
		}
	}
	if !ran[TargetGorilla] || !ran[TargetSilly] {
		t.Errorf("targets run: %v, want at least wscore, gorilla and silly", ran)
	}
}

func TestMatrixConfigRejectsUnknownTarget(t *testing.T) {
	_, err := RunMatrix(context.Background(), MatrixConfig{Root: t.TempDir(), Targets: []string{"nginx"}})
	if err == nil || !strings.Contains(err.Error(), "nginx") {
		t.Errorf("unknown target: err = %v", err)
	}
}

func TestMedianRunKeepsFailures(t *testing.T) {
	runs := []LoadResult{{MsgsPerSec: 30}, {MsgsPerSec: 10}, {MsgsPerSec: 20}}
	if got := medianRun(runs); got.MsgsPerSec != 20 {
		t.Errorf("median of 30, 10, 20 = %v", got.MsgsPerSec)
	}
	runs[0].Mismatches = 1
	if got := medianRun(runs); !got.Failed() {
		t.Error("a failed round was hidden by the median")
	}
}
