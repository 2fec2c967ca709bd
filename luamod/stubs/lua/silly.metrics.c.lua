---@meta silly.metrics.c

---Process and runtime counters read by silly's metrics collectors.
---@class silly.metrics.c
local M = {}

---Process CPU time, seconds.
---@return number system, number user
function M.cpustat() end

---Limits on open files.
---@return integer soft, integer hard
function M.maxfds() end

---Open file descriptors (from /proc/self/fd; 0 without /proc).
---@return integer
function M.openfds() end

---Memory held from the system and bytes of live heap.
---@return integer rss, integer allocated
function M.memstat() end

---Tasks waiting to run (the worker's backlog).
---@return integer
function M.workerstat() end

---Open TCP connections, bytes sent and received, socket requests queued and processed.
---@return integer tcp_connections, integer sent_bytes, integer received_bytes, integer operate_request, integer operate_processed
function M.netstat() end

return M
