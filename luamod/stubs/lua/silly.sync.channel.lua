---@meta silly.sync.channel

---Unbounded channel between tasks: any number of producers, one consumer.
---The module table is the channels' method table, so `ch:push(v)` works too.
---@class silly.sync.channel
local M = {}

---@class silly.sync.channel.ch
local ch = {}

---A new, open, empty channel.
---@return silly.sync.channel.ch
function M.new() end

---Append a value, or hand it to the task waiting in pop; never suspends.
---false, "Nil data" for nil/false; false, reason on a closed channel.
---@param ch silly.sync.channel.ch
---@param value any
---@return boolean ok, string? err
function M.push(ch, value) end

---Take the oldest value, suspending while the channel is empty and open.
---nil, reason once closed and drained; nil, "Channel is mpsc" for a second waiting consumer.
---@param ch silly.sync.channel.ch
---@return any value, string? err
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

---Close the channel and wake a waiting pop; queued values can still be popped, then pop returns nil, reason.
---@param ch silly.sync.channel.ch
---@param reason string? (default "channel closed")
function M.close(ch, reason) end

return M
