---@meta eco.packet
--- Building and parsing ICMP / ICMPv6 packets.

local M = {}

--- An ICMP packet (checksum computed when not given).
---@param typ integer
---@param code integer
---@param id integer
---@param sequence integer
---@param data? string
---@param checksum? integer
---@return string
function M.icmp(typ, code, id, sequence, data, checksum) end

--- An ICMPv6 packet.
---@param typ integer
---@param code integer
---@param id integer
---@param sequence integer
---@param data? string
---@param checksum? integer
---@return string
function M.icmp6(typ, code, id, sequence, data, checksum) end

--- Parse an ICMP packet into {type, code, id, sequence, data}.
---@param data string
---@return table|nil pkt
---@return string? err
function M.from_icmp(data) end

--- Parse an ICMPv6 packet.
---@param data string
---@return table|nil pkt
---@return string? err
function M.from_icmp6(data) end

return M
