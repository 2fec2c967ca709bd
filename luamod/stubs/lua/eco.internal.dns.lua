---@meta eco.internal.dns
--- DNS wire format, used by eco.dns.

local M = {}

--- A query packet for qname and record type.
---@param qname string
---@param qtype integer
---@param id? integer
---@return string|nil packet
---@return string? err
function M.build_request(qname, qtype, id) end

--- Parse a response packet into its records.
---@param data string
---@return table|nil response
---@return string? err
function M.parse_response(data) end

return M
