---@meta eco.net
--- Network utilities: ICMP ping.

---@class eco.net.ping_opts
---@field timeout? number seconds
---@field data? string payload
---@field device? string

local M = {}

--- Ping an IPv4 host once; the round-trip time in milliseconds.
---@param host string
---@param opts? eco.net.ping_opts
---@return number|nil rtt
---@return string? err
function M.ping(host, opts) end

--- Ping an IPv6 host once.
---@param host string
---@param opts? eco.net.ping_opts
---@return number|nil rtt
---@return string? err
function M.ping6(host, opts) end

return M
