package runtime

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// Limits for untrusted or buggy scripts.
//
// The watchdog notices a task that holds the VM token too long — a Lua loop
// that never blocks stalls every other task — and reports it, like lua-eco's
// watchdog. In cancelling mode it also stops that task: its thread then runs
// with a context that gopher-lua checks between instructions, and the task
// ends with a "context canceled" error (its traceback is reported as for any
// uncaught error). The check costs a little on every instruction, so it is
// only switched on by WithWatchdog(limit, true).

// WithWatchdog starts a watchdog that reports, on Stderr, any task that runs
// longer than limit without blocking; with cancel it also stops that task.
func WithWatchdog(limit time.Duration, cancel bool) Option {
	return func(o *options) {
		o.watchdog = limit
		o.watchdogCancel = cancel
	}
}

// WithMaxTasks limits the number of live tasks; Start returns nil (and the
// Lua bindings raise "too many tasks") once n tasks are alive.
func WithMaxTasks(n int) Option { return func(o *options) { o.maxTasks = n } }

func (rt *Runtime) startWatchdog() {
	limit := rt.opts.watchdog
	tick := limit / 4
	if tick < 5*time.Millisecond {
		tick = 5 * time.Millisecond
	}
	go func() {
		ticker := time.NewTicker(tick)
		defer ticker.Stop()
		var reported *Task
		var reportedSince int64
		for {
			select {
			case <-rt.ctx.Done():
				return
			case <-ticker.C:
			}
			t := rt.holder.Load()
			if t == nil {
				continue
			}
			since := t.since.Load()
			ran := time.Since(rt.epoch) - time.Duration(since)
			if ran < limit || (t == reported && since == reportedSince) {
				continue
			}
			reported, reportedSince = t, since
			action := "reported"
			if rt.opts.watchdogCancel {
				action = "cancelled"
			}
			// Reported before the cancel: whoever sees the task fail
			// finds the report already written.
			rt.Report(t, slog.LevelWarn, fmt.Sprintf("golua-ws: watchdog: task %d (%s) has run %d ms without blocking (limit %d ms): %s",
				t.id, t.name, ran.Milliseconds(), limit.Milliseconds(), action),
				"watchdog: a task runs without blocking", slog.Int64("ran_ms", ran.Milliseconds()),
				slog.Int64("limit_ms", limit.Milliseconds()), slog.String("action", action))
			if rt.opts.watchdogCancel {
				if c := t.cpuCancel.Load(); c != nil {
					(*c)()
				}
			}
		}
	}()
}

// watchThread gives a task's thread a cancellable context when the
// cancelling watchdog is on.
func (rt *Runtime) watchThread(t *Task) {
	if !rt.opts.watchdogCancel {
		return
	}
	ctx, cancel := context.WithCancel(rt.ctx)
	cf := context.CancelFunc(cancel)
	t.cpuCancel.Store(&cf)
	t.L.SetContext(ctx)
}
