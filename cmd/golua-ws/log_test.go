package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// ecoLogScript logs through eco.log at debug and info, then fails in a task.
const ecoLogScript = `local log = require 'eco.log'
local eco = require 'eco'
log.debug('eco debug line')
log.info('eco info line', 42)
eco.run(function()
  error('eco task failed')
end)
`

// sillyLogScript logs through silly.logger at three levels, then fails in
// a task.
const sillyLogScript = `local logger = require 'silly.logger'
local task = require 'silly.task'
logger.debug('silly debug line')
logger.info('silly info line', 7)
logger.warnf('silly line %s', 'warn')
task.fork(function()
  error('silly task failed')
end)
`

func writeScript(t *testing.T, name, src string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// runJSON runs script with --log-format json and the extra options, and
// returns stderr's lines, each parsed as one JSON object (the test fails on
// a line that is not one), and stdout.
func runJSON(t *testing.T, script string, opts ...string) ([]map[string]any, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	argv := append(append([]string{"--log-format", "json"}, opts...), script)
	if code := run(argv, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
	var records []map[string]any
	for _, line := range strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("stderr line is not one JSON object (%v): %q\nall of stderr:\n%s", err, line, stderr.String())
		}
		for _, key := range []string{"time", "level", "message", "script", "task", "task_id", "source"} {
			if _, ok := rec[key]; !ok {
				t.Errorf("record without %q: %s", key, line)
			}
		}
		if rec["script"] != script {
			t.Errorf("script = %v, want %s", rec["script"], script)
		}
		records = append(records, rec)
	}
	return records, stdout.String()
}

// find returns the record whose message is msg, or nil.
func find(records []map[string]any, msg string) map[string]any {
	for _, r := range records {
		if r["message"] == msg {
			return r
		}
	}
	return nil
}

// checkTaskError checks the uncaught error's record: its message, the
// traceback as one field, the Lua position of the error() call.
func checkTaskError(t *testing.T, rec map[string]any, script, line, errText, task string) {
	t.Helper()
	if rec == nil {
		t.Fatal("no record of the task's error")
	}
	if rec["level"] != "ERROR" || rec["task"] != task {
		t.Errorf("error record level %v task %v: %v", rec["level"], rec["task"], rec)
	}
	if want := script + ":" + line + ": " + errText; rec["error"] != want {
		t.Errorf("error = %q, want %q", rec["error"], want)
	}
	trace, _ := rec["traceback"].(string)
	if !strings.HasPrefix(trace, "stack traceback:\n") || !strings.Contains(trace, script+":"+line+":") {
		t.Errorf("traceback = %q", trace)
	}
	if rec["source"] != script+":"+line {
		t.Errorf("source = %v, want %s:%s", rec["source"], script, line)
	}
}

func TestLogFormatJSONEcoLog(t *testing.T) {
	script := writeScript(t, "eco.lua", ecoLogScript)
	records, stdout := runJSON(t, script)
	if stdout != "" {
		t.Errorf("stdout = %q, want nothing (records go to stderr)", stdout)
	}
	if len(records) != 2 {
		t.Errorf("%d records, want 2 (info line, task error): %v", len(records), records)
	}
	if find(records, "eco debug line") != nil {
		t.Error("a debug line was written at the default level info")
	}
	info := find(records, "eco info line 42")
	if info == nil || info["level"] != "INFO" || info["logger"] != "eco.log" ||
		info["source"] != script+":4" || info["task"] != "main" {
		t.Errorf("info record: %v", info)
	}
	checkTaskError(t, find(records, "uncaught Lua error"), script, "6", "eco task failed", "eco.run")

	records, _ = runJSON(t, script, "--log-level", "debug")
	if dbg := find(records, "eco debug line"); dbg == nil || dbg["level"] != "DEBUG" || dbg["source"] != script+":3" {
		t.Errorf("--log-level debug: debug record %v in %v", dbg, records)
	}
}

func TestLogFormatJSONSillyLogger(t *testing.T) {
	script := writeScript(t, "silly.lua", sillyLogScript)
	records, stdout := runJSON(t, script)
	if stdout != "" {
		t.Errorf("stdout = %q, want nothing (records go to stderr)", stdout)
	}
	if find(records, "silly debug line") != nil {
		t.Error("a debug line was written at the default level info")
	}
	info := find(records, "silly info line 7")
	if info == nil || info["level"] != "INFO" || info["logger"] != "silly.logger" || info["source"] != script+":4" {
		t.Errorf("info record: %v", info)
	}
	if warn := find(records, "silly line warn"); warn == nil || warn["level"] != "WARN" {
		t.Errorf("warnf record: %v", warn)
	}
	checkTaskError(t, find(records, "[silly] task resume error"), script, "7", "silly task failed", "task.fork")

	records, _ = runJSON(t, script, "--log-level", "warn")
	if find(records, "silly info line 7") != nil || find(records, "silly line warn") == nil {
		t.Errorf("--log-level warn: %v", records)
	}
}

// TestLogFormatTextUnchanged: without --log-format the dialects keep their
// own line formats (silly.logger on stdout, the task error over several
// lines on stderr), and --log-level still sets the loggers' level.
func TestLogFormatTextUnchanged(t *testing.T) {
	script := writeScript(t, "silly.lua", sillyLogScript)
	for _, tc := range []struct {
		opts        []string
		debug, info bool
	}{{nil, false, true}, {[]string{"--log-format", "text"}, false, true}, {[]string{"--log-level", "debug"}, true, true},
		{[]string{"--log-level", "error"}, false, false}} {
		var stdout, stderr bytes.Buffer
		if code := run(append(tc.opts, script), &stdout, &stderr); code != 0 {
			t.Fatalf("%v: exit %d: %s", tc.opts, code, stderr.String())
		}
		out := stdout.String()
		if strings.Contains(out, " D "+script+":3 silly debug line") != tc.debug ||
			strings.Contains(out, " I "+script+":4 silly info line 7 \n") != tc.info {
			t.Errorf("%v: stdout %q", tc.opts, out)
		}
		if !strings.Contains(stderr.String(), " E [silly] task resume "+script+":7: silly task failed\nstack traceback:\n") {
			t.Errorf("%v: stderr %q", tc.opts, stderr.String())
		}
	}
}

func TestParseArgsLogOptions(t *testing.T) {
	var out, errOut bytes.Buffer
	cfg, code, done := parseArgs([]string{"--log-format", "json", "--log-level", "warn", "x.lua"}, &out, &errOut)
	if done || code != 0 || !cfg.logJSON || !cfg.logLevelSet || cfg.logLevel.String() != "WARN" {
		t.Fatalf("parsed %+v code %d done %v", cfg, code, done)
	}
	for _, bad := range [][]string{{"--log-format", "xml", "x.lua"}, {"--log-level", "loud", "x.lua"}, {"--log-format"}} {
		errOut.Reset()
		if _, code, done := parseArgs(bad, &out, &errOut); !done || code != 1 || !strings.Contains(errOut.String(), bad[0]) {
			t.Errorf("%q: code %d done %v stderr %q", bad, code, done, errOut.String())
		}
	}
}

// TestLogFormatJSONWorkers: with --workers each record names its worker.
func TestLogFormatJSONWorkers(t *testing.T) {
	script := writeScript(t, "w.lua", "local w = require 'golua.worker'\nrequire('silly.logger').info('worker', w.id)\n")
	records, _ := runJSON(t, script, "--workers", "2")
	seen := map[string]bool{}
	for _, r := range records {
		id, _ := r["worker"].(float64)
		if msg, _ := r["message"].(string); msg != "worker "+strconv.Itoa(int(id)) {
			t.Errorf("record %v", r)
		}
		seen[r["message"].(string)] = true
	}
	if !seen["worker 1"] || !seen["worker 2"] || len(records) != 2 {
		t.Errorf("records %v", records)
	}
}

// TestLogFormatJSONHiveBee: a silly.hive bee's warn shares the JSON format.
func TestLogFormatJSONHiveBee(t *testing.T) {
	script := writeScript(t, "hive.lua", `local hive = require 'silly.hive'
local bee = hive.spawn([[
	warn('@on')
	return function(x) warn('bee warns ', x) return x end
]])
assert(hive.invoke(bee, 'loud') == 'loud')
`)
	records, _ := runJSON(t, script)
	if r := find(records, "bee warns loud"); r == nil || r["level"] != "WARN" || r["bee"] != true {
		t.Errorf("records %v", records)
	}
}
