package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/bus"
	"github.com/golua-ws/golua-ws/bus/natsbus"
	"github.com/golua-ws/golua-ws/internal/natstest"
)

func TestBusURLFlagWinsOverEnv(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == envBus {
				return v
			}
			return ""
		}
	}
	var out, errOut bytes.Buffer
	cfg, code, done := parseArgs([]string{"--bus", "nats://h:1", "x.lua"}, &out, &errOut)
	if done || code != 0 || !cfg.busSet || cfg.busURL != "nats://h:1" {
		t.Fatalf("--bus: %+v", cfg)
	}
	if got := busURL(cfg.busURL, cfg.busSet, env("nats://env:2")); got != "nats://h:1" {
		t.Errorf("flag and env: %q", got)
	}
	if got := busURL("", false, env("nats://env:2")); got != "nats://env:2" {
		t.Errorf("env only: %q", got)
	}
	if got := busURL("", true, env("nats://env:2")); got != "" {
		t.Errorf("--bus '' turns GOLUA_BUS off: %q", got)
	}
	if _, code, done := parseArgs([]string{"--bus"}, &out, &errOut); !done || code != 1 {
		t.Errorf("--bus without a value: code %d", code)
	}
}

func TestOpenBus(t *testing.T) {
	noenv := func(string) string { return "" }
	b, err := openBus("", noenv, &bytes.Buffer{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := b.(*bus.Local); !ok {
		t.Fatalf("default bus is %T, want the embedded *bus.Local", b)
	}
	b.Close()
	// Nothing listens on port 1: a clear error, with the password hidden.
	_, err = openBus("nats://alice:s3cret@127.0.0.1:1", noenv, &bytes.Buffer{}, nil)
	if err == nil || !strings.Contains(err.Error(), "--bus") || strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("unreachable server: %v", err)
	}
}

// TestBusFlagReachesNATS: a script run with --bus publishes through a real
// nats-server to a Go subscriber, and GOLUA_BUS does the same.
func TestBusFlagReachesNATS(t *testing.T) {
	srv := natstest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	watcher, err := natsbus.Connect(ctx, srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer watcher.Close()
	sub, err := watcher.Subscribe("cli.>")
	if err != nil {
		t.Fatal(err)
	}
	if err := watcher.(*natsbus.Bus).Conn().Flush(); err != nil {
		t.Fatal(err)
	}
	script := func(tag string) string { return "assert(require('golua.bus').publish('cli." + tag + "', 'hello'))" }
	var out, errOut bytes.Buffer
	if code := run([]string{"--bus", srv.URL(), "-e", script("flag")}, &out, &errOut); code != 0 {
		t.Fatalf("--bus: exit %d: %s", code, errOut.String())
	}
	t.Setenv(envBus, srv.URL())
	if code := run([]string{"-e", script("env")}, &out, &errOut); code != 0 {
		t.Fatalf("GOLUA_BUS: exit %d: %s", code, errOut.String())
	}
	for _, want := range []string{"cli.flag", "cli.env"} {
		m, err := sub.Recv(ctx)
		if err != nil || m.Subject != want || string(m.Data) != "hello" {
			t.Fatalf("want %s: %+v %v", want, m, err)
		}
	}
}
