package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/bench"
)

// serveEcho runs the tool's own -serve mode in this process on a free port
// and returns the URL.
func serveEcho(t *testing.T, kind string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan net.Addr, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := bench.Serve(ctx, kind, "127.0.0.1:0", func(a net.Addr) { addrc <- a }); err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	t.Cleanup(func() { cancel(); <-done })
	select {
	case a := <-addrc:
		return "ws://" + a.String() + "/ws"
	case <-time.After(10 * time.Second):
		t.Fatal("server did not start")
	}
	return ""
}

func runTool(t *testing.T, ctx context.Context, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(ctx, args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestLoadMode(t *testing.T) {
	for _, kind := range []string{"wscore", "gorilla"} {
		url := serveEcho(t, kind)
		for _, client := range []string{"gorilla", "wscore"} {
			code, out, errs := runTool(t, context.Background(), "-url", url, "-conns", "1", "-size", "16",
				"-duration", "300ms", "-warmup", "50ms", "-client", client)
			if code != 0 || !strings.Contains(out, "errors=0 mismatches=0") {
				t.Errorf("server %s client %s: exit %d\nstdout: %s\nstderr: %s", kind, client, code, out, errs)
			}
		}
	}
}

func TestLoadModeJSON(t *testing.T) {
	url := serveEcho(t, "wscore")
	code, out, errs := runTool(t, context.Background(), "-url", url, "-conns", "3", "-size", "1024", "-text",
		"-duration", "200ms", "-warmup", "0s", "-json")
	if code != 0 {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
	var r struct {
		Conns      int     `json:"conns"`
		Size       int     `json:"size"`
		Messages   uint64  `json:"messages"`
		MsgsPerSec float64 `json:"msgs_per_sec"`
		P99        float64 `json:"p99_us"`
		Errors     int     `json:"errors"`
		Mismatches int     `json:"mismatches"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if r.Conns != 3 || r.Size != 1024 || r.Messages == 0 || r.MsgsPerSec <= 0 || r.P99 <= 0 || r.Errors+r.Mismatches != 0 {
		t.Errorf("unexpected result %+v", r)
	}
}

// No server: the tool must say so and exit non-zero.
func TestLoadModeFailsWithoutServer(t *testing.T) {
	addr, err := bench.FreeAddr()
	if err != nil {
		t.Fatal(err)
	}
	code, out, _ := runTool(t, context.Background(), "-url", "ws://"+addr+"/ws", "-conns", "2", "-duration", "100ms")
	if code != 1 || !strings.Contains(out, "errors=2") {
		t.Errorf("exit %d, output %q; want 1 and 2 errors", code, out)
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-conns", "x"}, {"extra"}, {"-matrix", "-matrix-conns", "1,-2"}} {
		if code, _, _ := runTool(t, context.Background(), args...); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
	if code, _, _ := runTool(t, context.Background(), "-serve", "nginx", "-addr", "127.0.0.1:0"); code != 1 {
		t.Errorf("-serve nginx: exit %d, want 1", code)
	}
}

func TestIdleMode(t *testing.T) {
	url := serveEcho(t, "gorilla")
	code, out, errs := runTool(t, context.Background(), "-idle", "25", "-url", url, "-hold", "200ms")
	if code != 0 || !strings.Contains(out, "idle: 25 connections open") || !strings.Contains(out, "(0 were closed by the server)") {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	// Interrupting (the context) releases them too.
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if code, out, _ := runTool(t, ctx, "-idle", "5", "-url", url); code != 0 {
		t.Errorf("interrupted idle: exit %d: %s", code, out)
	}
}

// -serve answers WebSocket echoes until its context ends.
func TestServeMode(t *testing.T) {
	addr, err := bench.FreeAddr()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var out bytes.Buffer
	go func() { done <- run(ctx, []string{"-serve", "wscore", "-addr", addr}, &out, &out) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("serve mode did not listen")
		}
		time.Sleep(20 * time.Millisecond)
	}
	res, err := bench.Load(context.Background(), bench.LoadConfig{URL: "ws://" + addr + "/ws", Conns: 2, Size: 100, Duration: 100 * time.Millisecond})
	if err != nil || res.Failed() || res.Messages == 0 {
		t.Errorf("load against -serve: %v %v", res, err)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exit %d: %s", code, out.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve mode did not stop")
	}
}

func TestFanoutModeRejectsBadOptions(t *testing.T) {
	for _, args := range [][]string{
		{"-fanout", "-fanout-subs", "ten"},
		{"-fanout", "-fanout-setups", "embedded,redis", "-golua-ws", "/nonexistent"},
		{"-fanout", "-fanout-dialects", "openresty", "-golua-ws", "/nonexistent"},
	} {
		code, _, errs := runTool(t, context.Background(), args...)
		if code == 0 || !strings.Contains(errs, "wsbench:") {
			t.Errorf("%q: exit %d, stderr %q; want a failure naming the option", args, code, errs)
		}
	}
}
