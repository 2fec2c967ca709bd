---@meta eco.http.url
--- URL escaping and parsing.

---@class eco.http.url.parsed
---@field scheme string
---@field host string
---@field port integer
---@field path string
---@field raw_path string
---@field query? string
---@field user? string
---@field password? string

local M = {}

--- Percent-encode s.
---@param s string
---@return string
function M.escape(s) end

--- Decode percent escapes.
---@param s string
---@return string
function M.unescape(s) end

--- Split url into its parts; nil, err when it is not a URL.
---@param url string
---@return eco.http.url.parsed|nil parts
---@return string? err
function M.parse(url) end

return M
