---@meta silly

---Process-wide facts and helpers of the silly runtime. Fields: pid, version,
---gitsha1, allocator and multiplexer ("go" here), timerresolution (ms).
---@class silly
---@field pid integer process id
---@field version string
---@field gitsha1 string
---@field allocator string memory allocator in use ("go" in golua-ws)
---@field multiplexer string I/O multiplexer in use ("go" in golua-ws)
---@field timerresolution integer timer resolution, milliseconds
local M = {}

---A new process-unique integer id.
---@return integer
function M.genid() end

---Log `msg` and a traceback at ERROR level (does not raise).
---@param msg any
function M.error(msg) end

---pcall that adds a traceback to the error message.
---@param fn function
---@param ... any
---@return boolean ok, any ...
function M.pcall(fn, ...) end

---End the runtime with status `code` (default 0): queued tasks are dropped; never returns.
---@param code integer?
function M.exit(code) end

return M
