package main

import (
	"bytes"
	"io"
	"net"
	"net/http"
	goruntime "runtime"
	"strings"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/luamod/golua/worker"
)

func TestParseArgsIdleGCAndPprof(t *testing.T) {
	var out, errOut bytes.Buffer
	cfg, code, done := parseArgs([]string{"x.lua"}, &out, &errOut)
	if done || code != 0 || cfg.idleGC != defaultIdleGC || cfg.pprofAddr != "" {
		t.Fatalf("defaults: %+v code %d done %v", cfg, code, done)
	}
	cfg, code, done = parseArgs([]string{"--idle-gc", "0", "--pprof", "127.0.0.1:0", "x.lua", "--idle-gc"}, &out, &errOut)
	if done || code != 0 || cfg.idleGC != 0 || cfg.pprofAddr != "127.0.0.1:0" || cfg.script != "x.lua" ||
		len(cfg.args) != 1 || cfg.args[0] != "--idle-gc" {
		t.Fatalf("parsed %+v code %d done %v", cfg, code, done)
	}
	cfg, _, _ = parseArgs([]string{"--idle-gc", "250", "x.lua"}, &out, &errOut)
	if cfg.idleGC != 250*time.Millisecond {
		t.Fatalf("idle-gc 250: %v", cfg.idleGC)
	}
	for _, bad := range [][]string{{"--idle-gc", "-1", "x.lua"}, {"--idle-gc", "soon", "x.lua"}, {"--idle-gc"}, {"--pprof"}} {
		errOut.Reset()
		if _, code, done := parseArgs(bad, &out, &errOut); !done || code != 1 || !strings.Contains(errOut.String(), bad[0]) {
			t.Errorf("%q: code %d done %v stderr %q", bad, code, done, errOut.String())
		}
	}
}

func TestParseArgsShutdownTimeout(t *testing.T) {
	var out, errOut bytes.Buffer
	for _, tc := range []struct {
		val  string
		want time.Duration
	}{{"10s", 10 * time.Second}, {"1500", 1500 * time.Millisecond}, {"250ms", 250 * time.Millisecond}, {"1m", time.Minute}} {
		cfg, code, done := parseArgs([]string{"--shutdown-timeout", tc.val, "x.lua"}, &out, &errOut)
		if done || code != 0 || cfg.shutdown != tc.want {
			t.Errorf("--shutdown-timeout %s: %v (code %d done %v)", tc.val, cfg.shutdown, code, done)
		}
	}
	if cfg, _, _ := parseArgs([]string{"x.lua"}, &out, &errOut); cfg.shutdown != 0 {
		t.Errorf("default: %v, want 0 (the runtime's 10 s)", cfg.shutdown)
	}
	for _, bad := range []string{"0", "-1s", "soon", "10q"} {
		errOut.Reset()
		if _, code, done := parseArgs([]string{"--shutdown-timeout", bad, "x.lua"}, &out, &errOut); !done || code != 1 ||
			!strings.Contains(errOut.String(), "--shutdown-timeout") {
			t.Errorf("%q: code %d done %v stderr %q", bad, code, done, errOut.String())
		}
	}
}

func TestPprofServesProfilesWhileAScriptRuns(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	// A taken address is reported and the command exits 1.
	var out, errOut bytes.Buffer
	if code := run([]string{"--pprof", addr, "-e", "print('x')"}, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "--pprof") {
		t.Fatalf("taken address: code %d stderr %q", code, errOut.String())
	}
	ln.Close()
	done := make(chan int, 1)
	go func() {
		var out, errOut bytes.Buffer
		done <- run([]string{"--pprof", addr, "-e", "require('eco.time').sleep(1)"}, &out, &errOut)
	}()
	var body []byte
	for i := 0; i < 100 && body == nil; i++ {
		time.Sleep(10 * time.Millisecond)
		resp, err := http.Get("http://" + addr + "/debug/pprof/cmdline")
		if err != nil {
			continue
		}
		body, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	if !bytes.Contains(body, []byte("golua-ws")) && !bytes.Contains(body, []byte(".test")) {
		t.Fatalf("/debug/pprof/cmdline: %q", body)
	}
	if code := <-done; code != 0 {
		t.Fatalf("script exit %d", code)
	}
}

func TestParseArgsWorkers(t *testing.T) {
	var out, errOut bytes.Buffer
	cfg, code, done := parseArgs([]string{"x.lua"}, &out, &errOut)
	if done || code != 0 || cfg.workers != 1 || cfg.accept != worker.AcceptShared {
		t.Fatalf("defaults: workers %d accept %v", cfg.workers, cfg.accept)
	}
	cfg, _, done = parseArgs([]string{"--workers", "3", "--accept", "reuseport", "x.lua"}, &out, &errOut)
	if done || cfg.workers != 3 || cfg.accept != worker.AcceptReusePort {
		t.Fatalf("--workers 3 --accept reuseport: %d %v", cfg.workers, cfg.accept)
	}
	cfg, _, _ = parseArgs([]string{"--workers", "auto", "x.lua"}, &out, &errOut)
	if cfg.workers != goruntime.GOMAXPROCS(0) {
		t.Fatalf("--workers auto: %d, GOMAXPROCS %d", cfg.workers, goruntime.GOMAXPROCS(0))
	}
	for _, bad := range [][]string{{"--workers", "0", "x.lua"}, {"--workers", "many", "x.lua"}, {"--accept", "fast", "x.lua"}, {"--workers"}} {
		errOut.Reset()
		if _, code, done := parseArgs(bad, &out, &errOut); !done || code != 1 || !strings.Contains(errOut.String(), bad[0]) {
			t.Errorf("%q: code %d done %v stderr %q", bad, code, done, errOut.String())
		}
	}
}

func TestRunWithWorkersInProcess(t *testing.T) {
	var out, errOut bytes.Buffer
	// Worker 2 exits only after worker 1 has printed (it says so on the
	// in-process bus): an os.exit shuts the other workers down, and one
	// that had not printed yet would never print. Worker 2 knocks until
	// worker 1, subscribed by then, answers.
	script := `local w = require 'golua.worker'
local bus = require 'golua.bus'
print('worker', w.id, w.count)
if w.id == 1 then
	local knock = assert(bus.subscribe('knock'))
	assert(knock:recv(10))
	assert(bus.publish('printed', '1'))
else
	local printed = assert(bus.subscribe('printed'))
	for _ = 1, 200 do
		assert(bus.publish('knock', '2'))
		if printed:recv(0.05) then os.exit(5) end
	end
	os.exit(6)
end`
	code := run([]string{"--workers", "2", "-e", script}, &out, &errOut)
	if code != 5 || !strings.Contains(out.String(), "worker\t1\t2") || !strings.Contains(out.String(), "worker\t2\t2") {
		t.Fatalf("code %d stdout %q stderr %q", code, out.String(), errOut.String())
	}
}

func TestWorkersReportACompileErrorOnce(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"--workers", "3", "-e", "x = = 1"}, &out, &errOut); code != 1 ||
		strings.Count(errOut.String(), "unexpected symbol") != 1 {
		t.Fatalf("code %d stderr %q", code, errOut.String())
	}
}
