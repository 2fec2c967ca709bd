---@meta silly.signal

---Install `fn` as the handler of signal `sig` ("SIGINT", "SIGTERM", ...); it runs
---in a new task with the signal's name. Loading this module makes SIGINT exit 0.
---Returns the previous handler.
---@param sig string
---@param fn async fun(sig: string)
---@return function? previous
local function signal(sig, fn) end

return signal
