---@meta silly.net.dns

---Asynchronous DNS resolver with a cache, /etc/hosts and resolv.conf support.
---@class silly.net.dns
local M = {}

---@alias silly.net.dns.type integer

---Query type A (IPv4).
M.A = 1
---Query type AAAA (IPv6).
M.AAAA = 28
---Query type SRV.
M.SRV = 33

---@class silly.net.dns.conf
---@field nameservers string[]? "ip" or "ip:port"
---@field search string[]? search domains
---@field timeout integer? per-attempt timeout, seconds
---@field attempts integer? retry rounds
---@field ndots integer? dots below which the search list is tried first

---All records of `qtype` (default A) for `name`: addresses for A/AAAA,
---{priority, weight, port, target} for SRV; nil, "Not found" / "Invalid name" / ... on failure.
---@param name string
---@param qtype silly.net.dns.type?
---@param timeout integer? milliseconds
---@return table? records, string? err
function M.resolve(name, qtype, timeout) end

---One address of `qtype` (default A) for `name`.
---@param name string
---@param qtype silly.net.dns.type?
---@param timeout integer? milliseconds
---@return string? address, string? err
function M.lookup(name, qtype, timeout) end

---Whether `name` is a host name to resolve rather than an IP literal.
---@param name string
---@return boolean
function M.isname(name) end

---Use `content`, in hosts(5) format, as the static host table.
---@param content string
function M.sethosts(content) end

---Replace the resolver's servers and options.
---@param opts silly.net.dns.conf
function M.conf(opts) end

return M
