---@meta silly.signal

---The module is a function: `signal(sig, fn)` installs `fn` as the handler of
---signal `sig` ("SIGINT", "SIGTERM", ...) and returns the previous handler; the
---handler runs in a new task with the signal's name. Loading the module makes
---SIGINT exit with status 0 until a handler replaces that.

---Install `fn` as the handler of signal `sig`; returns the previous handler.
---@param sig string
---@param fn fun(sig:string)
---@return function? previous
local function signal(sig, fn) end

return signal
