package runtime

import (
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// Idle-time collection.
//
// Go collects when the heap has grown by GOGC percent since the last
// collection, so right after a burst of work — thousands of WebSocket
// handshakes, say — the process keeps up to that much garbage resident
// until the next burst triggers a collection, which for a server holding
// idle connections may be never. With WithIdleGC, once the VM has been
// idle for the given time after enough allocation, the runtime collects
// and returns the free memory to the OS (debug.FreeOSMemory), so that an
// idle server's RSS is its live data. A busy VM is never interrupted, and
// an idle one is not collected again until it has allocated again.

// idleGCMinAlloc is how much must have been allocated since the last idle
// collection to make another worth its cost (a full mark of the heap).
const idleGCMinAlloc = 4 << 20

// WithIdleGC makes the runtime collect garbage and return free memory to
// the OS once no task has run for idle (seen by a check every idle/2, so
// between idle and 1.5×idle after the last task ran), if at least 4 MiB
// were allocated since its last such collection. Zero (the default)
// disables it. It affects the whole process (debug.FreeOSMemory), so an embedding host
// opts in; the golua-ws command enables it (--idle-gc).
func WithIdleGC(idle time.Duration) Option { return func(o *options) { o.idleGC = idle } }

func (rt *Runtime) startIdleGC() {
	idle := rt.opts.idleGC
	tick := max(idle/2, time.Millisecond)
	sample := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	allocated := func() uint64 {
		metrics.Read(sample)
		if sample[0].Value.Kind() != metrics.KindUint64 {
			return 0
		}
		return sample[0].Value.Uint64()
	}
	go func() {
		ticker := time.NewTicker(tick)
		defer ticker.Stop()
		last := allocated()
		// The VM is idle once no task has taken the token for idle:
		// the grant counter has not moved since quietSince.
		grants, quietSince := rt.acquires.Load(), time.Now()
		for {
			select {
			case <-rt.ctx.Done():
				return
			case <-ticker.C:
			}
			if g := rt.acquires.Load(); g != grants {
				grants, quietSince = g, time.Now()
				continue
			}
			if rt.holder.Load() != nil || time.Since(quietSince) < idle {
				continue
			}
			if a := allocated(); a-last >= idleGCMinAlloc {
				debug.FreeOSMemory()
				last = allocated()
				rt.idleGCs.Add(1)
			}
		}
	}()
}

// IdleCollections reports how many idle-time collections (WithIdleGC) the
// runtime has run.
func (rt *Runtime) IdleCollections() uint64 { return rt.idleGCs.Load() }
