---@meta eco
--- The scheduler: tasks (coroutines) run by the event loop, sleeping, and readers/writers on raw file descriptors.

---@class eco.reader
local reader = {}

--- Read up to n bytes (fewer when fewer are ready); nil, err at end of file or on timeout.
---@param n integer
---@param timeout? number seconds
---@return string|nil data
---@return string? err
function reader:read(n, timeout) end

--- Read exactly n bytes.
---@param n integer
---@param timeout? number seconds
---@return string|nil data
---@return string? err
function reader:readfull(n, timeout) end

--- Read up to and including needle (or without it when needle is not kept).
---@param needle string
---@param timeout? number seconds
---@return string|nil data
---@return string? err
function reader:readuntil(needle, timeout) end

--- Wait until the descriptor is readable.
---@param timeout? number seconds
---@return boolean|nil ok
---@return string? err
function reader:wait(timeout) end

--- Wake a task waiting on this reader with the error "canceled".
function reader:cancel() end

--- Stop watching the descriptor (it is not closed).
function reader:close() end

---@class eco.writer
local writer = {}

--- Write all of data.
---@param data string
---@param timeout? number seconds
---@return integer|nil written
---@return string? err
function writer:write(data, timeout) end

--- Copy len bytes of the file at path, from offset, to the descriptor.
---@param path string
---@param offset integer
---@param len integer
---@param timeout? number seconds
---@return integer|nil sent
---@return string? err
function writer:sendfile(path, offset, len, timeout) end

--- Wait until the descriptor is writable.
---@param timeout? number seconds
---@return boolean|nil ok
---@return string? err
function writer:wait(timeout) end

--- Wake a task waiting on this writer with the error "canceled".
function writer:cancel() end

--- Stop watching the descriptor (it is not closed).
function writer:close() end

---@class eco.io
local IO = {}

--- Wait until the descriptor is ready for ev (eco.READ or eco.WRITE).
---@param ev integer
---@param timeout? number seconds
---@return boolean|nil ok
---@return string? err
function IO:wait(ev, timeout) end

--- Wake the waiting task with the error "canceled".
function IO:cancel() end

--- Stop watching the descriptor.
function IO:close() end

local M = {}

---@type string
M.VERSION = ""
---@type integer
M.VERSION_MAJOR = 0
---@type integer
M.VERSION_MINOR = 0
---@type integer
M.VERSION_PATCH = 0
--- Event flag for io:wait: readable.
---@type integer
M.READ = 1
--- Event flag for io:wait: writable.
---@type integer
M.WRITE = 2

--- Start a new task running f(...); it runs when the current one yields.
---@param f fun(...)
---@param ... any
function M.run(f, ...) end

--- Pause the running task for delay seconds.
---@param delay number
function M.sleep(delay) end

--- Number of live tasks.
---@return integer
function M.count() end

--- All live tasks (coroutines).
---@return thread[]
function M.all() end

--- Resume a task suspended by the scheduler.
---@param co thread
---@param ... any
function M.resume(co, ...) end

--- Run the event loop until unloop is called or nothing is left to wait for.
function M.loop() end

--- Stop the event loop.
function M.unloop() end

--- Watch fd for readiness.
---@param fd integer
---@return eco.io
function M.io(fd) end

--- A reader on fd.
---@param fd integer
---@return eco.reader
function M.reader(fd) end

--- A writer on fd.
---@param fd integer
---@return eco.writer
function M.writer(fd) end

--- Call hook(err, traceback) when a task raises an error instead of printing it.
---@param hook fun(err: any, traceback: string)
function M.set_panic_hook(hook) end

--- Report a task that runs longer than timeout milliseconds without yielding.
---@param timeout integer milliseconds
function M.set_watchdog_timeout(timeout) end

return M
