---@meta eco.log
--- Logging by level to stdout, syslog or a rolling file.

local M = {}

M.EMERG = 0
M.ALERT = 1
M.CRIT = 2
M.ERR = 3
M.WARNING = 4
M.NOTICE = 5
M.INFO = 6
M.DEBUG = 7
--- Flag: prefix each line with the caller's file name.
M.FLAG_FILE = 1
--- Flag: prefix each line with the caller's path.
M.FLAG_PATH = 2
--- Flag: end each message with a newline.
M.FLAG_LF = 4

--- Log the arguments at level.
---@param level integer
---@param ... any
function M.log(level, ...) end

--- Log at DEBUG.
---@param ... any
function M.debug(...) end

--- Log at INFO.
---@param ... any
function M.info(...) end

--- Log at ERR.
---@param ... any
function M.err(...) end

--- Messages above level are dropped.
---@param level integer
function M.set_level(level) end

--- Set the FLAG_* bits.
---@param flags integer
function M.set_flags(flags) end

--- The identity syslog lines carry.
---@param ident string
function M.set_ident(ident) end

--- Write to the file at path instead of stdout/syslog.
---@param path string
function M.set_path(path) end

--- Roll the log file when it reaches size bytes.
---@param size integer
function M.set_roll_size(size) end

--- Keep count rolled files.
---@param count integer
function M.set_roll_count(count) end

return M
