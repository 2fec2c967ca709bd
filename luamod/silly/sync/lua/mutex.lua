-- silly.sync.mutex for golua-ws: one mutex object holds a lock per key.
-- A lock is re-entrant for the task that owns it; other tasks queue FIFO.
local task = require "silly.task"

local mutex = {}
local mt = { __index = mutex }

local proxy = {}
local proxy_mt = { __index = proxy }

function mutex.new()
    return setmetatable({ locks = {} }, mt)
end

-- Locks key and returns a proxy whose unlock releases one level. The
-- proxy also unlocks as a to-be-closed variable.
function mutex:lock(key)
    assert(key ~= nil, "mutex key is nil")
    local me = task.running()
    local l = self.locks[key]
    if not l then
        l = { owner = me, refn = 1, waiters = {}, head = 1, tail = 1 }
        self.locks[key] = l
    elseif l.owner == me then
        l.refn = l.refn + 1
    else
        l.waiters[l.tail] = me
        l.tail = l.tail + 1
        task.wait() -- unlock hands the lock to us before waking us
    end
    return setmetatable({ mutex = self, key = key, lock = l, done = false }, proxy_mt)
end

-- Releases one level of the lock; at zero the next waiter gets it.
function proxy:unlock()
    if self.done then
        return
    end
    self.done = true
    local l = self.lock
    l.refn = l.refn - 1
    if l.refn > 0 then
        return
    end
    if l.head < l.tail then
        local co = l.waiters[l.head]
        l.waiters[l.head] = nil
        l.head = l.head + 1
        l.owner = co
        l.refn = 1
        task.wakeup(co)
    else
        self.mutex.locks[self.key] = nil
    end
end

proxy_mt.__close = proxy.unlock

return mutex
