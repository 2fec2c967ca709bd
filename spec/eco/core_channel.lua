-- Spec: eco.channel (eco-api.md §2.3). Run with --fatal-errors.
local eco = require 'eco'
local channel = require 'eco.channel'

local function errmsg(f, ...)
    local ok, err = pcall(f, ...)
    assert(not ok, 'expected an error')
    return tostring(err)
end

assert(errmsg(channel.new, 1.5):find('capacity must be an integer', 1, true))

-- Capacity: nil and < 1 hold one item.
for _, cap in ipairs({ 'nil', 0, -3 }) do
    local ch = channel.new(cap ~= 'nil' and cap or nil)
    assert(ch:length() == 0)
    assert(ch:send('one', 0.1) == true)
    local ok, err = ch:send('two', 0.01)
    assert(ok == nil and err == 'timeout', 'capacity ' .. tostring(cap) .. ' holds one item')
    ok, err = ch:send('two', 0)
    assert(ok == nil and err == 'timeout', 'timeout 0 expires at once')
end
local ch2 = channel.new(2)
assert(ch2:send('a') and ch2:send('b'))
assert(ch2:length() == 2 and ch2.capacity == 2)
assert(ch2:recv() == 'a' and ch2:length() == 1)
assert(ch2:recv() == 'b' and ch2:length() == 0)
local v, err = ch2:recv(0.01)
assert(v == nil and err == 'timeout')
assert(ch2:send(nil) == true and ch2:length() == 0, 'sending nil stores nothing')

-- A full channel blocks the sender until a receiver takes an item.
local ch = channel.new(1)
assert(ch:send('first'))
local sender_done = false
eco.run(function()
    assert(ch:send('second', 1) == true)
    sender_done = true
end)
eco.sleep(0.01)
assert(not sender_done, 'sender blocked on a full channel')
assert(ch:recv() == 'first')
eco.sleep(0)
assert(sender_done)
assert(ch:recv() == 'second')

-- An empty channel blocks the receiver until a send.
local got
eco.run(function() got = ch:recv(1) end)
assert(got == nil)
ch:send('payload')
eco.sleep(0)
assert(got == 'payload')

-- close: idempotent, drains, then plain nil; send raises.
local cd = channel.new(3)
cd:send(1); cd:send(2)
cd:close(); cd:close()
assert(cd.closed == true)
v, err = cd:recv(0.1); assert(v == 1 and err == nil)
v, err = cd:recv(0.1); assert(v == 2 and err == nil)
v, err = cd:recv(0.1); assert(v == nil and err == nil, 'drained closed channel gives plain nil')
assert(errmsg(cd.send, cd, 3):find('sending on closed channel', 1, true))

-- close wakes 12 blocked receivers (nil, nil) and 12 blocked senders (raise).
local rc = channel.new(1)
local recv_done = 0
for _ = 1, 12 do
    eco.run(function()
        local rv, rerr = rc:recv(1)
        assert(rv == nil and rerr == nil)
        recv_done = recv_done + 1
    end)
end
local sc = channel.new(1)
sc:send('fill')
local send_done = 0
for i = 1, 12 do
    eco.run(function()
        local ok, serr = pcall(sc.send, sc, i, 1)
        assert(not ok and tostring(serr):find('sending on closed channel', 1, true))
        send_done = send_done + 1
    end)
end
rc:close()
sc:close()
eco.sleep(0)
assert(recv_done == 12, 'receivers woken ' .. recv_done)
assert(send_done == 12, 'senders woken ' .. send_done)

-- FIFO across many producers and one consumer.
local fifo = channel.new(4)
eco.run(function()
    for i = 1, 100 do fifo:send(i) end
    fifo:close()
end)
local n = 0
while true do
    local x = fifo:recv()
    if x == nil then break end
    n = n + 1
    assert(x == n, 'FIFO order')
end
assert(n == 100)

print('core_channel ok')
