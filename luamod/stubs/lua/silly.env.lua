---@meta silly.env

---Configuration values: the script's `--key=value` arguments and Lua config files.
---@class silly.env
local M = {}

---Run a config file (its globals, with `include` and `ENV` helpers) and store what it sets;
---nested tables become dotted keys, and a key already set keeps its value.
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
