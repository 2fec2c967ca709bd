---@meta eco.encoding.hex
--- Hexadecimal encoding and hex dumps.

local M = {}

--- Encode data as lowercase hex, with sep between bytes when given.
---@param data string
---@param sep? string
---@return string
function M.encode(data, sep) end

--- Decode hex; nil, err on an odd length or a non-hex digit.
---@param s string
---@return string|nil data
---@return string? err
function M.decode(s) end

--- Print data as a hex dump (offset, bytes, printable characters).
---@param data string
function M.dump(data) end

return M
