package runtime

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// WithStructuredLog makes l the one destination of everything the runtime
// and the scripts' loggers print: task errors (with their traceback as a
// field), reload and watchdog reports, the dialects' error lines, and the
// records of eco.log and silly.logger. Nothing is then written to Stderr as
// plain text. The runtime adds "task" (and "task_id") and "source" (the Lua
// file:line, where known) to each record; a host adds its own attributes
// (the CLI adds "script") with l.With. WithLogger, by contrast, only copies
// some events to a logger beside the plain text.
func WithStructuredLog(l *slog.Logger) Option {
	return func(o *options) {
		o.logger = l
		o.logOnly = l != nil
	}
}

// WithLogLevel sets the least level the scripts' loggers start at: eco.log's
// and silly.logger's own levels begin at the level it maps to, so a debug
// line is dropped at info in the text format too; and a runtime message
// below it (a reload at info, a watchdog report at warn) is not written as
// text. A script's set_level /
// setlevel still changes its own level afterwards.
func WithLogLevel(level slog.Level) Option {
	return func(o *options) {
		o.logLevel = level
		o.logLevelSet = true
	}
}

// LogLevel returns the level given by WithLogLevel, and whether one was.
func (rt *Runtime) LogLevel() (slog.Level, bool) { return rt.opts.logLevel, rt.opts.logLevelSet }

// StructuredLog returns the logger set by WithStructuredLog, or nil when
// messages are written as plain text. The dialects' loggers write their
// records there when it is set.
func (rt *Runtime) StructuredLog() *slog.Logger {
	if rt.opts.logOnly {
		return rt.opts.logger
	}
	return nil
}

// Report prints one runtime message: text (without a trailing newline) on
// Stderr, unless WithStructuredLog is in effect or level is below the one
// given by WithLogLevel; and, when a logger is set,
// a record at level with msg and attrs, plus t's name and id when t is not
// nil. A text holding a Lua traceback ("\nstack traceback:") becomes, in the
// record, an "error" field and a "traceback" field, and the first Lua
// frame of the traceback (else the error's own position) the "source".
// Safe from any goroutine.
func (rt *Runtime) Report(t *Task, level slog.Level, text, msg string, attrs ...slog.Attr) {
	if !rt.opts.logOnly && (!rt.opts.logLevelSet || level >= rt.opts.logLevel) {
		_, _ = fmt.Fprintln(rt.opts.stderr, text)
	}
	l := rt.opts.logger
	if l == nil {
		return
	}
	if t != nil {
		attrs = append(attrs, slog.String("task", t.name), slog.Uint64("task_id", t.id))
	}
	l.LogAttrs(context.Background(), level, msg, attrs...)
}

// record logs an event that has no text form (the text output stays as
// it always was): only to the logger, when there is one.
func (rt *Runtime) record(level slog.Level, msg string, attrs ...slog.Attr) {
	if l := rt.opts.logger; l != nil {
		l.LogAttrs(context.Background(), level, msg, attrs...)
	}
}

// TaskAttrs returns the "task" and "task_id" attributes of the task
// holding the token, or none outside a task. Token required.
func (rt *Runtime) TaskAttrs() []slog.Attr {
	if t := rt.cur; t != nil {
		return []slog.Attr{slog.String("task", t.name), slog.Uint64("task_id", t.id)}
	}
	return nil
}

// structuredWarn is Lua's warn under WithStructuredLog: a Warn record with
// the task and the caller's position; nil (warn writes Stderr) otherwise.
func (rt *Runtime) structuredWarn() func(*lua.LState, string) {
	l := rt.StructuredLog()
	if l == nil {
		return nil
	}
	return func(L *lua.LState, msg string) {
		attrs := append([]slog.Attr{slog.String("logger", "warn")}, rt.TaskAttrs()...)
		if where := strings.TrimSuffix(L.Where(1), ":"); where != "" && !strings.HasPrefix(where, "[G]") {
			attrs = append(attrs, slog.String("source", where))
		}
		l.LogAttrs(context.Background(), slog.LevelWarn, msg, attrs...)
	}
}

// ErrorAttrs splits a Lua error report (message, then optionally
// "stack traceback:" and its frames) into the attributes Report logs:
// error, traceback and source.
func ErrorAttrs(report string) []slog.Attr {
	message, trace, hasTrace := strings.Cut(report, "\nstack traceback:")
	attrs := []slog.Attr{slog.String("error", message)}
	if hasTrace {
		attrs = append(attrs, slog.String("traceback", "stack traceback:"+trace))
	}
	if src := errorSource(message, trace); src != "" {
		attrs = append(attrs, slog.String("source", src))
	}
	return attrs
}

var (
	// traceFrame is a traceback line naming Lua code: "\tfile:line: in ...".
	traceFrame = regexp.MustCompile(`(?m)^\t([^\[\t][^:\n]*):(\d+):`)
	// messagePosition is the "file:line:" error() puts before a message.
	messagePosition = regexp.MustCompile(`^([^\s:]+):(\d+):`)
)

// errorSource returns the file:line of the Lua code an error report points
// at: the position at the start of the message (where error was raised),
// else the first Lua frame of the traceback.
func errorSource(message, trace string) string {
	if m := messagePosition.FindStringSubmatch(message); m != nil {
		return m[1] + ":" + m[2]
	}
	if m := traceFrame.FindStringSubmatch(trace); m != nil {
		return m[1] + ":" + m[2]
	}
	return ""
}
