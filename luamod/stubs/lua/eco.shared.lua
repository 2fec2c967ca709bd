---@meta eco.shared
--- Named dictionaries shared between tasks (and the processes eco.sys spawns), with expiry.

---@class eco.shared.dict
local Dict = {}

--- Store value under key, expiring after exptime seconds (never when 0 or nil).
---@param key string
---@param value string|number|boolean
---@param exptime? number
---@return boolean|nil ok
---@return string? err
function Dict:set(key, value, exptime) end
--- The value under key, nil when absent or expired.
---@param key string
---@return string|number|boolean|nil
function Dict:get(key) end
--- Remove key.
---@param key string
---@return boolean removed
function Dict:del(key) end
--- Add value to the number under key (0 when absent).
---@param key string
---@param value number
---@param exptime? number
---@return number|nil new_value
---@return string? err
function Dict:incr(key, value, exptime) end
--- Seconds left before key expires.
---@param key string
---@return number|nil ttl
---@return string? err
function Dict:ttl(key) end
--- Make key expire after exptime seconds.
---@param key string
---@param exptime number
---@return boolean|nil ok
function Dict:expire(key, exptime) end
--- Remove every key.
function Dict:flush_all() end
--- Every key.
---@return string[]
function Dict:get_keys() end
--- Release this handle.
function Dict:close() end

local M = {}

--- Create the dictionary name holding at most size bytes.
---@param name string
---@param size integer
---@return eco.shared.dict|nil dict
---@return string? err
function M.new(name, size) end

--- Open the existing dictionary name.
---@param name string
---@return eco.shared.dict|nil dict
---@return string? err
function M.get(name) end

return M
