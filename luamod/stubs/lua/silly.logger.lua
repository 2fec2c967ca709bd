---@meta silly.logger

---Leveled logging: a line with local time, trace id and level letter per call
---(a structured record with golua-ws --log-format). Functions below the current
---level do nothing; the initial level is INFO, or the one --log-level maps to.
---@class silly.logger
local M = {}

---@alias silly.logger.level integer

M.DEBUG = 0
M.INFO = 1
M.WARN = 2
M.ERROR = 3

---The current level.
---@return silly.logger.level
function M.getlevel() end

---Set the level; messages below it are dropped.
---@param level silly.logger.level
function M.setlevel(level) end

---Log the arguments (tables printed nested) at DEBUG.
---@param ... any
function M.debug(...) end

---Log the arguments at INFO.
---@param ... any
function M.info(...) end

---Log the arguments at WARN.
---@param ... any
function M.warn(...) end

---Log the arguments at ERROR.
---@param ... any
function M.error(...) end

---Log string.format(fmt, ...) at DEBUG.
---@param fmt string
---@param ... any
function M.debugf(fmt, ...) end

---Log string.format(fmt, ...) at INFO.
---@param fmt string
---@param ... any
function M.infof(fmt, ...) end

---Log string.format(fmt, ...) at WARN.
---@param fmt string
---@param ... any
function M.warnf(fmt, ...) end

---Log string.format(fmt, ...) at ERROR.
---@param fmt string
---@param ... any
function M.errorf(fmt, ...) end

return M
