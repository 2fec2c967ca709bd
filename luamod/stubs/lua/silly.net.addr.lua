---@meta silly.net.addr

---Helpers for "host:port" address strings (IPv6 hosts in brackets).
---@class silly.net.addr
local M = {}

---Split an address into host and port.
---@param addr string
---@return string? host, string? port
function M.parse(addr) end

---Join host and port, bracketing an IPv6 host.
---@param host string?
---@param port string|integer
---@return string
function M.join(host, port) end

---4 for an IPv4 literal, 6 for an IPv6 literal, 0 for a host name.
---@param host string
---@return 4|6|0
function M.iptype(host) end

---Whether `host` is an IPv4 literal.
---@param host string
---@return boolean
function M.isv4(host) end

---Whether `host` is an IPv6 literal.
---@param host string
---@return boolean
function M.isv6(host) end

---Whether `host` is a host name (not an IP literal).
---@param host string
---@return boolean
function M.ishost(host) end

return M
