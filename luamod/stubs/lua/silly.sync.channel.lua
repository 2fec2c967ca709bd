---@meta silly.sync.channel

---Unbounded single-consumer channel between tasks.
---@class silly.sync.channel
local M = {}

---@class silly.sync.channel.ch
local ch = {}

---A new, open, empty channel.
---@return silly.sync.channel.ch
function M.new() end

---Append a value (nil is not allowed); wakes a task waiting in pop.
---@param ch silly.sync.channel.ch
---@param value any
---@return boolean ok, string? err reason the channel was closed with
function M.push(ch, value) end

---Take the oldest value, suspending while the channel is empty and open.
---@param ch silly.sync.channel.ch
---@return any value, string? err reason once closed and drained
function M.pop(ch) end

---Alias of push.
---@param ch silly.sync.channel.ch
---@param value any
---@return boolean ok, string? err
function M.send(ch, value) end

---Alias of pop.
---@param ch silly.sync.channel.ch
---@return any value, string? err
function M.recv(ch) end

---Drop every queued value.
---@param ch silly.sync.channel.ch
function M.clear(ch) end

---Close the channel; pending values can still be popped, then pop returns nil, reason.
---@param ch silly.sync.channel.ch
---@param reason string? (default "channel closed")
function M.close(ch, reason) end

return M
