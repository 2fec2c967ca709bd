package log

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golua-ws/golua-ws/luamod/internal/luatest"
)

// TestStructuredRecords: with Options.Structured each record is one slog
// record at the mapped level, a multi-line message stays one record, the
// module's own level still filters, and a set_path file keeps lua-eco's
// line format.
func TestStructuredRecords(t *testing.T) {
	var logged, plain bytes.Buffer
	opts := Options{
		Output:     &plain,
		Structured: slog.New(slog.NewJSONHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Level:      WARNING, LevelSet: true,
		Attrs: func() []slog.Attr { return []slog.Attr{slog.String("task", "t1")} },
	}
	file := filepath.Join(t.TempDir(), "eco.log")
	L := luatest.NewState(t, NewModules(opts), `log = require 'eco.log'`)
	luatest.Run(t, L, `
		log.info('below the starting level WARNING')
		log.err('two\nlines')
		log.log(log.WARNING, 'warned')
		log.set_level(log.DEBUG)
		log.debug('debug now')
		log.set_path('`+file+`')
		log.err('to the file')`)
	if plain.Len() != 0 {
		t.Errorf("plain output %q, want none", plain.String())
	}
	var got []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(logged.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("%v: %q", err, line)
		}
		got = append(got, rec)
	}
	want := []struct{ level, msg string }{{"ERROR", "two\nlines"}, {"WARN", "warned"}, {"DEBUG", "debug now"}}
	if len(got) != len(want) {
		t.Fatalf("records %v", got)
	}
	for i, w := range want {
		if got[i]["level"] != w.level || got[i]["msg"] != w.msg || got[i]["task"] != "t1" ||
			got[i]["logger"] != "eco.log" || !strings.HasSuffix(got[i]["source"].(string), ":"+[]string{"3", "4", "6"}[i]) {
			t.Errorf("record %d: %v", i, got[i])
		}
	}
	raw, err := os.ReadFile(file)
	b := string(raw)
	if err != nil || !strings.Contains(b, " err   ") || !strings.HasSuffix(b, "]: to the file\n") {
		t.Errorf("file %q (%v)", b, err)
	}
}

func TestLevelMapping(t *testing.T) {
	for prio, want := range []slog.Level{slog.LevelError, slog.LevelError, slog.LevelError, slog.LevelError,
		slog.LevelWarn, slog.LevelInfo, slog.LevelInfo, slog.LevelDebug} {
		if got := SlogLevel(prio); got != want {
			t.Errorf("SlogLevel(%d) = %v, want %v", prio, got, want)
		}
	}
	for level, want := range map[slog.Level]int{slog.LevelDebug: DEBUG, slog.LevelInfo: INFO, slog.LevelWarn: WARNING, slog.LevelError: ERR} {
		if got := PriorityOf(level); got != want {
			t.Errorf("PriorityOf(%v) = %d, want %d", level, got, want)
		}
	}
}
