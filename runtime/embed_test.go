package runtime

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/internal/syncbuf"
)

func newTestRuntime(t *testing.T, opts ...Option) (*Runtime, *syncbuf.Buffer) {
	t.Helper()
	var errOut syncbuf.Buffer
	rt := New(append([]Option{WithStderr(&errOut), WithStdout(&errOut)}, opts...)...)
	openTestModule(rt)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := rt.Close(ctx); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return rt, &errOut
}

func mustDo(t *testing.T, rt *Runtime, code string) {
	t.Helper()
	err := rt.Do(context.Background(), func(task *Task) error {
		fn, err := rt.Compile([]byte(code), "=setup")
		if err != nil {
			return err
		}
		task.L.Push(fn)
		return task.L.PCall(0, 0, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCallFromFiftyGoroutines(t *testing.T) {
	rt, _ := newTestRuntime(t)
	mustDo(t, rt, `
		local rt = require 'rt'
		total = 0
		function add(n) rt.sleep(0.001) total = total + n return total, n * 2 end
	`)
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for g := 0; g < 50; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				out, err := rt.Call(context.Background(), "add", 1)
				if err != nil {
					errs <- err
					return
				}
				if len(out) != 2 || out[1] != float64(2) {
					errs <- fmt.Errorf("results %v", out)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	out, err := rt.Call(context.Background(), "add", 0)
	if err != nil || out[0] != float64(1000) {
		t.Fatalf("total %v err %v", out, err)
	}
}

func TestCallReportsLuaErrorsWithTraceback(t *testing.T) {
	rt, _ := newTestRuntime(t)
	mustDo(t, rt, "function bad() error('nope') end")
	_, err := rt.Call(context.Background(), "bad")
	if err == nil || !strings.Contains(err.Error(), "setup:1: nope") || !strings.Contains(err.Error(), "stack traceback") {
		t.Fatalf("err %v", err)
	}
	if _, err := rt.Call(context.Background(), "missing"); err == nil {
		t.Fatal("calling a missing global succeeded")
	}
}

func TestDoHonoursContextWhileWaitingForToken(t *testing.T) {
	rt, _ := newTestRuntime(t)
	hold := make(chan struct{})
	started := make(chan struct{})
	go func() {
		_ = rt.Do(context.Background(), func(task *Task) error {
			close(started)
			<-hold // keeps the token: nothing else can run
			return nil
		})
	}()
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	ran := false
	err := rt.Do(ctx, func(*Task) error { ran = true; return nil })
	close(hold)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v", err)
	}
	time.Sleep(20 * time.Millisecond)
	if err := rt.Do(context.Background(), func(*Task) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if ran {
		t.Fatal("abandoned Do body ran after its context expired")
	}
}

type counter struct {
	N    int
	Name string
}

func (c *counter) Inc(by int) int { c.N += by; return c.N }

func TestGoValuesThroughGopherLuar(t *testing.T) {
	rt, _ := newTestRuntime(t)
	c := &counter{Name: "hits"}
	rt.RegisterGoModule("counter", c)
	if err := rt.SetGlobal(context.Background(), "limits", map[string]int{"max": 3}); err != nil {
		t.Fatal(err)
	}
	if err := rt.SetGlobal(context.Background(), "double", func(x int) int { return 2 * x }); err != nil {
		t.Fatal(err)
	}
	mustDo(t, rt, `
		local c = require 'counter'
		for i = 1, limits.max do c:Inc(i) end
		result = c.Name .. '=' .. c.N .. ',' .. double(21)
	`)
	got, err := rt.Call(context.Background(), "tostring", rt.lookupPathForTest("result"))
	if err != nil || got[0] != "hits=6,42" || c.N != 6 {
		t.Fatalf("got %v err %v (c.N %d)", got, err, c.N)
	}
}

func (rt *Runtime) lookupPathForTest(name string) any {
	var v any
	_ = rt.Do(context.Background(), func(*Task) error { v = ToGo(rt.lookupPath(name)); return nil })
	return v
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	// Make the change visible even on file systems with coarse mtimes.
	future := time.Now().Add(time.Duration(len(body)%7+1) * time.Second)
	_ = os.Chtimes(path, future, future)
}

func TestReloadSwapsModuleInPlaceAndRefusesBrokenCode(t *testing.T) {
	dir := t.TempDir()
	mod := filepath.Join(dir, "handler.lua")
	writeFile(t, mod, "local M = {}\nfunction M.greet() return 'v1' end\nM.hits = 0\nreturn M\n")
	rt, _ := newTestRuntime(t, WithPackagePath(dir))
	mustDo(t, rt, `
		local h = require 'handler'
		h.hits = 5
		greet_old = h.greet        -- a function captured before the reload
		function current() return h.greet(), h.hits end
	`)
	writeFile(t, mod, "local M = {}\nfunction M.greet() return 'v2' end\nM.hits = 0\nfunction M.__reload(old) M.hits = old.hits end\nreturn M\n")
	names, err := rt.Reload(context.Background())
	if err != nil || len(names) != 1 || names[0] != "handler" {
		t.Fatalf("reload: %v %v", names, err)
	}
	out, err := rt.Call(context.Background(), "current")
	if err != nil || out[0] != "v2" || out[1] != float64(5) {
		t.Fatalf("after reload: %v %v", out, err)
	}
	out, _ = rt.Call(context.Background(), "greet_old")
	if out[0] != "v1" {
		t.Fatalf("captured old function changed: %v", out)
	}
	writeFile(t, mod, "local M = {\nreturn M\n")
	if _, err := rt.Reload(context.Background()); err == nil || !strings.Contains(err.Error(), "handler.lua") {
		t.Fatalf("broken reload accepted: %v", err)
	}
	out, _ = rt.Call(context.Background(), "current")
	if out[0] != "v2" {
		t.Fatalf("a refused reload changed the module: %v", out)
	}
	if _, err := rt.Reload(context.Background()); err == nil {
		t.Fatal("broken file reloaded on second try")
	}
}

func TestWatchdogCancelsRunawayTask(t *testing.T) {
	rt, errOut := newTestRuntime(t, WithWatchdog(50*time.Millisecond, true))
	mustDo(t, rt, "function spin() local i = 0 while true do i = i + 1 end end")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := rt.Call(ctx, "spin")
	if err == nil || !strings.Contains(err.Error(), "context canceled") {
		t.Fatalf("err %v", err)
	}
	if !strings.Contains(errOut.String(), "without blocking") {
		t.Fatalf("no watchdog report: %q", errOut.String())
	}
	// The runtime still serves others afterwards.
	if out, err := rt.Call(ctx, "tostring", 7); err != nil || out[0] != "7" {
		t.Fatalf("after watchdog: %v %v", out, err)
	}
}

func TestMaxTasks(t *testing.T) {
	rt, _ := newTestRuntime(t, WithMaxTasks(2))
	block := make(chan struct{})
	var blockers []*Task
	for i := 0; i < 2; i++ {
		blockers = append(blockers, rt.Start("blocker", Queued, func(task *Task) error {
			return task.Block(func(ctx context.Context) error { <-block; return nil })
		}))
	}
	if blockers[1] == nil {
		t.Fatal("second task refused below the limit")
	}
	if rt.Start("third", Queued, func(*Task) error { return nil }) != nil {
		t.Fatal("third task started over the limit of 2")
	}
	close(block)
	for _, b := range blockers {
		<-b.Done()
	}
	if task := rt.Start("after", Queued, func(*Task) error { return nil }); task == nil {
		t.Fatal("task refused after the others finished")
	}
}

func TestDoStringDoFileGlobal(t *testing.T) {
	rt, _ := newTestRuntime(t)
	ctx := context.Background()
	out, err := rt.DoString(ctx, "x = 40 return x + 2, 'ok'", "=snippet")
	if err != nil || len(out) != 2 || out[0] != float64(42) || out[1] != "ok" {
		t.Fatalf("DoString: %v %v", out, err)
	}
	if _, err := rt.DoString(ctx, "return +", "=bad"); err == nil || !strings.Contains(err.Error(), "bad:1:") {
		t.Fatalf("syntax error: %v", err)
	}
	path := filepath.Join(t.TempDir(), "m.lua")
	writeFile(t, path, "#!/usr/bin/env golua-ws\nlocal M = {n = 7}\npackage.loaded.m = M\nreturn M.n\n")
	out, err = rt.DoFile(ctx, path)
	if err != nil || out[0] != float64(7) {
		t.Fatalf("DoFile: %v %v", out, err)
	}
	if v, err := rt.Global(ctx, "x"); err != nil || v != float64(40) {
		t.Fatalf("Global x: %v %v", v, err)
	}
	// The first name of a dotted path may be a required module.
	if v, err := rt.Global(ctx, "m.n"); err != nil || v != float64(7) {
		t.Fatalf("Global m.n: %v %v", v, err)
	}
}

func TestDoReportsTooManyTasks(t *testing.T) {
	rt, _ := newTestRuntime(t, WithMaxTasks(1))
	block := make(chan struct{})
	defer close(block)
	go func() {
		_ = rt.Do(context.Background(), func(task *Task) error {
			return task.Block(func(ctx context.Context) error { <-block; return nil })
		})
	}()
	deadline := time.Now().Add(5 * time.Second)
	for rt.live.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if err := rt.Do(context.Background(), func(*Task) error { return nil }); !errors.Is(err, ErrTooManyTasks) {
		t.Fatalf("err %v, want ErrTooManyTasks", err)
	}
}

func TestWatchReportsARefusedVersionOnce(t *testing.T) {
	dir := t.TempDir()
	mod := filepath.Join(dir, "w.lua")
	writeFile(t, mod, "return {v = 1}\n")
	var errOut syncbuf.Buffer
	rt := New(WithStderr(&errOut), WithPackagePath(dir))
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = rt.Close(ctx)
	}()
	if _, err := rt.DoString(context.Background(), "require 'w'", "=req"); err != nil {
		t.Fatal(err)
	}
	writeFile(t, mod, "return {v = \n")
	for i := 0; i < 5; i++ {
		rt.reloadReport(context.Background(), true)
	}
	if n := strings.Count(errOut.String(), "reload refused"); n != 1 {
		t.Fatalf("%d refusals reported for one bad version:\n%s", n, errOut.String())
	}
	writeFile(t, mod, "return {v = 2}\n")
	rt.reloadReport(context.Background(), true)
	if !strings.Contains(errOut.String(), "reloaded w") {
		t.Fatalf("fixed version not reloaded:\n%s", errOut.String())
	}
}
