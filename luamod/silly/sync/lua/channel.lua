-- silly.sync.channel for golua-ws: an unbounded queue with any number of
-- producers and one consumer. push never yields; pop waits for data.
local task = require "silly.task"

local channel = {}
local mt = { __index = channel }

local DEFAULT_REASON = "channel closed"

-- Creates an empty, open channel.
function channel.new()
    return setmetatable({
        queue = {},
        head = 1,
        tail = 1,
        co = nil,
        closed = false,
        reason = nil,
    }, mt)
end

-- Queues v (or hands it straight to a waiting pop). Returns true, nil; or
-- false, err for a falsy v or a closed channel.
function channel:push(v)
    if not v then
        return false, "Nil data"
    end
    if self.closed then
        return false, self.reason
    end
    local co = self.co
    if co then
        self.co = nil
        task.wakeup(co, v)
        return true, nil
    end
    self.queue[self.tail] = v
    self.tail = self.tail + 1
    return true, nil
end

-- Returns the next value, waiting if the queue is empty. Queued values are
-- returned even after close; then nil, reason. A second concurrent popper
-- gets nil, "Channel is mpsc".
function channel:pop()
    local head = self.head
    if head < self.tail then
        local v = self.queue[head]
        self.queue[head] = nil
        self.head = head + 1
        return v, nil
    end
    if self.closed then
        return nil, self.reason
    end
    if self.co then
        return nil, "Channel is mpsc"
    end
    self.co = task.running()
    local v = task.wait()
    if not v then
        return nil, self.reason
    end
    return v, nil
end

-- Drops every queued value.
function channel:clear()
    self.queue = {}
    self.head = 1
    self.tail = 1
end

-- Closes the channel with reason (default "channel closed") and wakes a
-- waiting popper.
function channel:close(reason)
    if self.closed then
        return
    end
    self.closed = true
    self.reason = reason or DEFAULT_REASON
    local co = self.co
    if co then
        self.co = nil
        task.wakeup(co, nil)
    end
end

-- The chat tutorial's names for push and pop.
channel.send = channel.push
channel.recv = channel.pop

return channel
