---@meta eco.dns
--- DNS resolution over UDP/TCP with the system's resolv.conf and hosts file.

---@class eco.dns.opts
---@field type? integer record type (dns.TYPE_A by default)
---@field nameserver? string
---@field port? integer
---@field timeout? number seconds
---@field mark? integer
---@field device? string

local M = {}

M.TYPE_A = 1
M.TYPE_NS = 2
M.TYPE_CNAME = 5
M.TYPE_SOA = 6
M.TYPE_PTR = 12
M.TYPE_MX = 15
M.TYPE_TXT = 16
M.TYPE_AAAA = 28
M.TYPE_SRV = 33
M.TYPE_SPF = 99
M.CLASS_IN = 1
M.SECTION_AN = 1
M.SECTION_NS = 2
M.SECTION_AR = 3

--- Query qname; a list of answer records ({name, type, ttl, address|cname|...}).
---@param qname string
---@param opts? eco.dns.opts
---@return table[]|nil answers
---@return string? err
function M.query(qname, opts) end

--- The name of a record type number ("A", "AAAA", ...).
---@param n integer
---@return string|nil
function M.type_name(n) end

return M
