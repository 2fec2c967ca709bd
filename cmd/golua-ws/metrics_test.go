package main

import (
	"bytes"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// TestMetricsFlagServesEveryWorker runs a script on two workers with
// --metrics: one scrape shows both workers' script metric samples (with
// their labels) next to the runtime's own metrics.
func TestMetricsFlagServesEveryWorker(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()

	// The address is taken: the command says so and exits 1.
	var out, errOut bytes.Buffer
	if code := run([]string{"--metrics", addr, "-e", "print('x')"}, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "--metrics") {
		t.Fatalf("busy address: code %d, stderr %q", code, errOut.String())
	}
	ln.Close()

	script := `
local metrics = require 'golua.metrics'
local w = require 'golua.worker'
local c = metrics.counter('flag_test_total', 'per worker', {'worker'})
c:labels(w.id):add(w.id * 10)
require('eco.time').sleep(2)`
	done := make(chan int, 1)
	go func() {
		var out, errOut bytes.Buffer
		done <- run([]string{"--metrics", addr, "--workers", "2", "-e", script}, &out, &errOut)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if ok, text := scrapeFlagTest(t, addr); ok {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("scrape never showed both workers:\n%s", text)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if code := <-done; code != 0 {
		t.Fatalf("exit code %d", code)
	}
}

func scrapeFlagTest(t *testing.T, addr string) (bool, string) {
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		return false, err.Error()
	}
	defer resp.Body.Close()
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if mfs["golua_ws_tasks_live"] == nil || mfs["go_goroutines"] == nil {
		return false, "runtime or Go metrics missing"
	}
	mf := mfs["flag_test_total"]
	if mf == nil {
		return false, "flag_test_total missing"
	}
	got := map[string]float64{}
	for _, m := range mf.Metric {
		got[m.Label[0].GetValue()] = m.Counter.GetValue()
	}
	return got["1"] == 10 && got["2"] == 20, mf.String()
}
