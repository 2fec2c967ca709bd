---@meta silly.task

---Tasks: coroutines the scheduler runs.
---@class silly.task
local M = {}

---@alias silly.task.status "RUN"|"READY"|"WAIT"

---The running task.
---@return thread
function M.running() end

---Start `fn(ud)` in a new task; it is READY until it first runs, after the current task yields.
---@param fn fun(ud:any)
---@param ud any
---@return thread
function M.fork(fn, ud) end

---Suspend the running task until task.wakeup; returns the value given there.
---@return any
function M.wait() end

---Make task `t` ready to resume from task.wait with `value`; raises an error if `t` is not waiting.
---@param t thread
---@param value any
function M.wakeup(t, value) end

---The scheduler status of `t`, or nil for an unknown thread.
---@param t thread
---@return silly.task.status?
function M.status(t) end

---Number of tasks ready to run.
---@return integer
function M.readycount() end

---Every live task with its status and traceback.
---@return table<thread,{traceback:string,status:string}>
function M.inspect() end

---Set callbacks run when task.fork creates a task and when a forked task's function returns; nil removes one.
---Returns the resume and yield functions (golua-ws: task.wakeup and task.wait).
---@param create fun(t:thread)?
---@param term fun(t:thread)?
---@return function resume, function yield
function M.hook(create, term) end

return M
