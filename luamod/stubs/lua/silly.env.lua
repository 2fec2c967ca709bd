---@meta silly.env

---Configuration values: command-line `--key=value` options and a Lua config file.
---@class silly.env
local M = {}

---Load a config file (Lua assignments; nested tables become dotted keys).
---@param file string
---@return string? err
function M.load(file) end

---The value of `key` ("a.b.c" reaches into tables), or nil.
---@param key string
---@return any
function M.get(key) end

---Set `key` to `value`.
---@param key string
---@param value any
function M.set(key, value) end

return M
