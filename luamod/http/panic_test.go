package http

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/internal/syncbuf"
	"github.com/golua-ws/golua-ws/runtime"
)

// panickingHandler panics on /panic and answers "ok" otherwise.
func panickingHandler(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/panic" {
		panic(fmt.Sprintf("handler panic on %s", r.Header.Get("X-Route")))
	}
	_, _ = io.WriteString(w, "ok")
}

// A panic while serving a request ends that connection and is reported
// with its value and goroutine stack on the runtime's stderr, for requests
// served by net/http and by the front door; the server serves on.
func TestServerReportsPanics(t *testing.T) {
	stderr, logged := &syncbuf.Buffer{}, &syncbuf.Buffer{}
	rt := runtime.New(runtime.WithStderr(stderr), runtime.WithLogger(slog.New(slog.NewTextHandler(logged, nil))))
	defer rt.Exit(0)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := New(rt, ln, Config{Handler: http.HandlerFunc(panickingHandler), FrontDoor: true, ReadHeaderTimeout: 5 * time.Second})
	served := make(chan error, 1)
	go func() { served <- s.Serve() }()
	defer func() {
		_ = s.Close()
		<-served
	}()
	addr := ln.Addr().String()
	request := func(path, extra string) (string, error) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return "", err
		}
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(5 * time.Second))
		fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n%s\r\n", path, extra)
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return string(b), err
	}
	for _, route := range []string{"net/http", "front door"} {
		extra := "X-Route: " + route + "\r\n"
		if route == "front door" {
			extra += "Upgrade: x-test\r\n"
		}
		if body, err := request("/panic", extra); err == nil {
			t.Errorf("%s: a panicking handler answered %q", route, body)
		}
		if body, err := request("/", ""); err != nil || body != "ok" {
			t.Fatalf("%s: the server stopped serving after a panic: %q %v", route, body, err)
		}
		out := stderr.String()
		if !strings.Contains(out, "handler panic on "+route) {
			t.Errorf("%s: panic value not reported:\n%s", route, out)
		}
	}
	out := stderr.String()
	if n := strings.Count(out, "panickingHandler"); n < 2 {
		t.Errorf("the panicking function is in %d reported stacks, want 2:\n%s", n, out)
	}
	if !strings.Contains(out, "goroutine ") {
		t.Errorf("no goroutine stack reported:\n%s", out)
	}
	if log := logged.String(); strings.Count(log, "level=ERROR") < 2 || strings.Count(log, "panickingHandler") < 2 {
		t.Errorf("the logger did not get both panics with their stacks:\n%s", log)
	}
}

// Close ends the front door's connections still sending a head, and
// Shutdown returns at once when nothing is in flight.
func TestShutdownIdle(t *testing.T) {
	rt := runtime.New()
	defer rt.Exit(0)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := New(rt, ln, Config{Handler: http.HandlerFunc(panickingHandler), FrontDoor: true, ReadHeaderTimeout: time.Minute})
	served := make(chan error, 1)
	go func() { served <- s.Serve() }()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, _ = io.WriteString(c, "GET / HTTP/1.1\r\n") // a head that never ends
	time.Sleep(50 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	select {
	case <-served:
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after Shutdown")
	}
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.Read(make([]byte, 1)); err == nil {
		t.Fatal("a connection sending its head survived the shutdown")
	}
}
