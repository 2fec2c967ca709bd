-- silly.sync.singleflight for golua-ws: concurrent calls with the same key
-- share one run of the function. The first caller runs fn(key); callers
-- arriving while it runs park and get the same results, or the same error
-- raised again. Nothing is cached: a later call runs fn again.
local silly = require "silly"
local task = require "silly.task"

local singleflight = {}
local mt = { __index = singleflight }

function singleflight.new(fn)
    return setmetatable({ fn = fn, inflight = {} }, mt)
end

local function finish(outcome)
    if not outcome[1] then
        error(outcome[2], 0)
    end
    return table.unpack(outcome, 2, outcome.n)
end

function singleflight:call(key)
    local waiting = self.inflight[key]
    if waiting then
        waiting[#waiting + 1] = task.running()
        return finish(task.wait())
    end
    waiting = {}
    self.inflight[key] = waiting
    -- silly.pcall: an error comes back with its traceback, as in silly
    local outcome = table.pack(silly.pcall(self.fn, key))
    self.inflight[key] = nil
    for i = 1, #waiting do
        task.wakeup(waiting[i], outcome)
    end
    return finish(outcome)
end

return singleflight
