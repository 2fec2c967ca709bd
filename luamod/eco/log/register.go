package log

import (
	"github.com/golua-ws/golua-ws/runtime"
)

// Register makes rt's eco.log follow the runtime's log settings: its
// records go to rt.StructuredLog() when that is set (golua-ws
// --log-format json), tagged with the running task, and its level starts
// at rt.LogLevel() when one was given. Without either it is the
// standalone module.
func Register(rt *runtime.Runtime) {
	opts := Options{Structured: rt.StructuredLog(), Attrs: rt.TaskAttrs}
	if level, ok := rt.LogLevel(); ok {
		opts.Level, opts.LevelSet = PriorityOf(level), true
	}
	rt.RegisterModules(NewModules(opts))
}
