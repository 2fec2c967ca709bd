-- silly.sync.waitgroup for golua-ws: fork tasks, then wait for all of them.
local silly = require "silly"
local task = require "silly.task"
local logger = require "silly.logger"

local waitgroup = {}
local mt = { __index = waitgroup }

function waitgroup.new()
    return setmetatable({ count = 0 }, mt)
end

-- Forks fn (called with no arguments, errors logged) and counts it until
-- it ends. Returns the task's thread.
function waitgroup:fork(fn)
    self.count = self.count + 1
    return task.fork(function()
        local ok, err = silly.pcall(fn)
        if not ok then
            logger.error("[waitgroup] fork err:", err)
        end
        local count = self.count - 1
        self.count = count
        if count <= 0 then
            local co = self.co
            if co then
                self.co = nil
                task.wakeup(co)
            end
        end
    end)
end

-- Waits until every forked task has ended; returns at once if none runs.
-- Only one task may wait at a time.
function waitgroup:wait()
    if self.count <= 0 then
        return
    end
    self.co = task.running()
    task.wait()
end

return waitgroup
