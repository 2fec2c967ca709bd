// Package core provides the core modules of the silly dialect: "silly",
// "silly.task", "silly.time", "silly.env", "silly.signal", "silly.logger"
// and "silly.errno".
//
// Every silly task is a runtime task (a goroutine holding the VM token
// while it runs Lua). task.fork queues the new task behind the ready ones,
// as silly's dispatcher does, and the task statuses READY, RUN and WAIT
// follow silly's state machine. Finished task threads are pooled and reused
// by later forks, so a fork can return the same thread object as an
// earlier, finished one (silly's coroutine pool).
package core
