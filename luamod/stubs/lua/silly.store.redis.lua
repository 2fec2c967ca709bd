---@meta silly.store.redis

---Redis client over one lazily made connection; replies come in call order.
---Any other key is the command of that name: `db:get("k")`, `db:hset(...)`.
---@class silly.store.redis
local M = {}

---@class silly.store.redis.db
---@field [string] fun(self:silly.store.redis.db,...):boolean,any a command: true and the reply, or false and the error

---@class silly.store.redis.conf
---@field addr string host:port
---@field auth string?
---@field db integer?

---A new client; it connects on its first command.
---@param conf silly.store.redis.conf
---@return silly.store.redis.db
function M.new(conf) end

---Close the connection; commands in flight and every later one fail with errno.CLOSED.
---@param db silly.store.redis.db
function M.close(db) end

---Refused: the database is fixed by new's `db`.
---@param db silly.store.redis.db
function M.select(db) end

---Send `cmd` with the arguments: true and the reply, or false and Redis's error text or an errno.
---@param db silly.store.redis.db
---@param cmd string
---@param ... string|number
---@return boolean ok, any reply_or_err
function M.call(db, cmd, ...) end

---Send every command at once: {ok1, value1, ok2, value2, ...}, or nil and an errno.
---@param db silly.store.redis.db
---@param req (string|number)[][] {{cmd, args...}, ...}
---@return any[]? results, string? err
function M.pipeline(db, req) end

return M
