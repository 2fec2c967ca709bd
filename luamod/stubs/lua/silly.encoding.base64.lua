---@meta silly.encoding.base64

---Base64 (RFC 4648) with the standard and the URL-safe alphabet.
---@class silly.encoding.base64
local M = {}

---Standard base64 with padding.
---@param data string
---@return string
function M.encode(data) end

---Decode standard base64 (input is not validated: no error is ever returned).
---@param data string
---@return string
function M.decode(data) end

---URL-safe base64 ("-" and "_", no padding).
---@param data string
---@return string
function M.urlsafe_encode(data) end

---Decode URL-safe base64 (not validated either).
---@param data string
---@return string
function M.urlsafe_decode(data) end

return M
