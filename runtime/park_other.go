//go:build !linux

package runtime

import (
	"syscall"

	lua "github.com/yuin/gopher-lua"
)

// poller: parking needs epoll; elsewhere a task never parks and blocks as
// before (newParking refuses).
type poller struct{}

func (rt *Runtime) newParking(*Task, syscall.Conn, func(*lua.LState) int, int) *parking { return nil }
func (t *Task) park(p *parking)                                                         {}
func (rt *Runtime) forget(p *parking)                                                   {}

// Unpark resumes t if it is parked; tasks never park on this system.
func (t *Task) Unpark() bool { return false }

// ParkedTasks returns how many tasks are parked: none on this system.
func (rt *Runtime) ParkedTasks() int { return 0 }
