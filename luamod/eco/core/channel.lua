-- eco.channel for golua-ws: a bounded FIFO channel built on two eco.sync
-- conds, with lua-eco's API (new, send, recv, close, length).
local sync = require 'eco.sync'

local M = {}

local methods = {}
local mt = { __index = methods }

-- Number of buffered items.
function methods:length()
    return self.tail - self.head
end

-- Closes the channel (idempotent) and wakes every blocked sender and
-- receiver: receivers drain what is buffered, senders raise.
function methods:close()
    if self.closed then
        return
    end
    self.closed = true
    self.cond_send:broadcast()
    self.cond_recv:broadcast()
end

-- Sends v, waiting while the buffer is full. Returns true, or nil,
-- 'timeout' (timeout <= 0 expires at once). Raises on a closed channel.
function methods:send(v, timeout)
    if self.closed then
        error('sending on closed channel', 2)
    end
    if v == nil then
        return true
    end
    while self.tail - self.head >= self.capacity do
        local ok, err = self.cond_send:wait(timeout)
        if self.closed then
            error('sending on closed channel', 2)
        end
        if not ok then
            return nil, err
        end
    end
    self.buf[self.tail] = v
    self.tail = self.tail + 1
    self.cond_recv:signal()
    return true
end

-- Receives one value, waiting while the buffer is empty. Returns v, or
-- nil, 'timeout'; a closed and drained channel gives a plain nil.
function methods:recv(timeout)
    while self.tail == self.head do
        if self.closed then
            return nil
        end
        local ok, err = self.cond_recv:wait(timeout)
        if not ok and not self.closed then
            return nil, err
        end
    end
    local v = self.buf[self.head]
    self.buf[self.head] = nil
    self.head = self.head + 1
    self.cond_send:signal()
    return v
end

-- Creates a channel holding up to capacity items (nil or < 1 means 1).
function M.new(capacity)
    assert(capacity == nil or (type(capacity) == 'number' and capacity == math.floor(capacity)),
        'capacity must be an integer')
    if capacity == nil or capacity < 1 then
        capacity = 1
    end
    return setmetatable({
        capacity = capacity,
        closed = false,
        buf = {},
        head = 1,
        tail = 1,
        cond_send = sync.cond(),
        cond_recv = sync.cond(),
    }, mt)
end

return M
