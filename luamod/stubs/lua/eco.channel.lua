---@meta eco.channel
--- Channels between tasks: bounded buffers with blocking send and receive.

---@class eco.channel.Channel
local Channel = {}

--- Number of values in the buffer.
---@return integer
function Channel:length() end

--- Close the channel: receivers drain the buffer, then get nil.
function Channel:close() end

--- Send v, waiting while the buffer is full.
---@param v any
---@param timeout? number seconds
---@return boolean|nil ok
---@return string? err "timeout" or "closed"
function Channel:send(v, timeout) end

--- Receive a value, waiting while the buffer is empty.
---@param timeout? number seconds
---@return any|nil v
---@return string? err "timeout"
function Channel:recv(timeout) end

local M = {}

--- Make a channel with room for capacity values.
---@param capacity? integer default 1
---@return eco.channel.Channel
function M.new(capacity) end

return M
