package runtime

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/internal/syncbuf"
)

// failingTask is a main chunk whose second task raises an error.
const failingTask = "local rt = require 'rt'\nrt.fork(function()\n  error('task failed')\nend)"

// TestStructuredLogReplacesText: under WithStructuredLog a task error is one
// record on the host's logger, with task, error, traceback and source, and
// nothing is written to Stderr.
func TestStructuredLogReplacesText(t *testing.T) {
	var logged syncbuf.Buffer
	logger := slog.New(slog.NewJSONHandler(&logged, nil))
	_, stderr, _ := runLua(t, failingTask, WithStructuredLog(logger))
	if stderr != "" {
		t.Errorf("stderr = %q, want nothing", stderr)
	}
	var rec map[string]any
	if err := json.Unmarshal([]byte(logged.String()), &rec); err != nil {
		t.Fatalf("not one JSON record (%v): %q", err, logged.String())
	}
	if rec["msg"] != "uncaught Lua error" || rec["level"] != "ERROR" || rec["error"] != "test:3: task failed" ||
		rec["source"] != "test:3" || rec["task"] != "fork" {
		t.Errorf("record %v", rec)
	}
	if tb, _ := rec["traceback"].(string); !strings.HasPrefix(tb, "stack traceback:\n") {
		t.Errorf("traceback %q", tb)
	}
}

// TestLoggerBesideText: WithLogger keeps the plain report on Stderr and
// copies it to the logger.
func TestLoggerBesideText(t *testing.T) {
	var logged syncbuf.Buffer
	logger := slog.New(slog.NewTextHandler(&logged, nil))
	_, stderr, _ := runLua(t, failingTask, WithLogger(logger))
	if !strings.HasPrefix(stderr, "test:3: task failed\nstack traceback:\n") {
		t.Errorf("stderr = %q", stderr)
	}
	if !strings.Contains(logged.String(), `msg="uncaught Lua error"`) || !strings.Contains(logged.String(), "source=test:3") {
		t.Errorf("logged = %q", logged.String())
	}
}

func TestErrorAttrs(t *testing.T) {
	for _, tc := range []struct {
		report, err, trace, source string
	}{
		{"a.lua:3: boom\nstack traceback:\n\t[G]: in function 'error'\n\ta.lua:3: in main chunk", "a.lua:3: boom",
			"stack traceback:\n\t[G]: in function 'error'\n\ta.lua:3: in main chunk", "a.lua:3"},
		// error(msg, 0) has no position: the first Lua frame gives it.
		{"boom\nstack traceback:\n\t[G]: in function 'error'\n\tlib/b.lua:10: in function 'f'", "boom",
			"stack traceback:\n\t[G]: in function 'error'\n\tlib/b.lua:10: in function 'f'", "lib/b.lua:10"},
		{"plain message", "plain message", "", ""},
	} {
		got := map[string]string{}
		for _, a := range ErrorAttrs(tc.report) {
			got[a.Key] = a.Value.String()
		}
		if got["error"] != tc.err || got["traceback"] != tc.trace || got["source"] != tc.source {
			t.Errorf("%q: %v", tc.report, got)
		}
	}
}

// TestStructuredLogWarn: Lua's warn becomes a Warn record, not a stderr line.
func TestStructuredLogWarn(t *testing.T) {
	var logged syncbuf.Buffer
	_, stderr, _ := runLua(t, "warn('@on')\nwarn('careful ', 'now')", WithStructuredLog(slog.New(slog.NewJSONHandler(&logged, nil))))
	if stderr != "" {
		t.Errorf("stderr = %q", stderr)
	}
	var rec map[string]any
	if err := json.Unmarshal([]byte(logged.String()), &rec); err != nil {
		t.Fatalf("%v: %q", err, logged.String())
	}
	if rec["level"] != "WARN" || rec["msg"] != "careful now" || rec["source"] != "test:2" || rec["task"] != "main" {
		t.Errorf("record %v", rec)
	}
}

// TestReportTextFollowsLogLevel: as text, a message below WithLogLevel is
// dropped; the copy to a WithLogger logger is the logger's to filter.
func TestReportTextFollowsLogLevel(t *testing.T) {
	var stderr, logged syncbuf.Buffer
	rt := New(WithStderr(&stderr), WithLogLevel(slog.LevelWarn), WithLogger(slog.New(slog.NewTextHandler(&logged, nil))))
	defer rt.Exit(0)
	rt.Report(nil, slog.LevelInfo, "info text", "info record")
	rt.Report(nil, slog.LevelWarn, "warn text", "warn record")
	if got := stderr.String(); got != "warn text\n" {
		t.Errorf("stderr = %q", got)
	}
	if out := logged.String(); !strings.Contains(out, "info record") || !strings.Contains(out, "warn record") {
		t.Errorf("logged = %q", out)
	}
}

// TestShutdownRecords: a graceful shutdown logs its start and its end (cut
// short here by a hook that never returns); as text it prints nothing.
func TestShutdownRecords(t *testing.T) {
	var stderr, logged syncbuf.Buffer
	rt := New(WithStderr(&stderr), WithStructuredLog(slog.New(slog.NewJSONHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	rt.OnShutdown(func(ctx context.Context) { <-ctx.Done() })
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_ = rt.Shutdown(ctx, 0)
	var msgs []string
	for _, line := range strings.Split(strings.TrimSpace(logged.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("%v: %q", err, line)
		}
		msgs = append(msgs, rec["level"].(string)+" "+rec["msg"].(string))
	}
	want := []string{"DEBUG graceful shutdown started", "WARN graceful shutdown cut short, closing what is left"}
	if strings.Join(msgs, "|") != strings.Join(want, "|") {
		t.Errorf("records %q, want %q", msgs, want)
	}
	if stderr.String() != "" {
		t.Errorf("stderr %q", stderr.String())
	}
}
