-- Spec: silly.sync.channel, waitgroup and mutex (silly-api.md §4.1-4.3).
-- Run with --fatal-errors.
local task = require "silly.task"
local time = require "silly.time"
local channel = require "silly.sync.channel"
local waitgroup = require "silly.sync.waitgroup"
local mutex = require "silly.sync.mutex"

-- channel: FIFO, push never yields, falsy data refused.
local ch = channel.new()
for i = 1, 1000 do assert(ch:push(i) == true) end
for i = 1, 1000 do
    local v, err = ch:pop()
    assert(v == i and err == nil, 'FIFO')
end
local ok, err = ch:push(nil)
assert(ok == false and err == "Nil data")
ok, err = ch:push(false)
assert(ok == false and err == "Nil data")

-- A waiting popper gets the value handed over directly.
local got
task.fork(function() got = { ch:pop() } end)
time.sleep(0)
assert(got == nil, 'popper waits on an empty channel')
assert(ch:push('direct'))
time.sleep(0)
assert(got[1] == 'direct' and got[2] == nil)

-- A second concurrent popper is refused.
local first, second
task.fork(function() first = { ch:pop() } end)
task.fork(function() second = { ch:pop() } end)
time.sleep(0)
assert(second[1] == nil and second[2] == "Channel is mpsc", tostring(second[2]))
ch:push('x')
time.sleep(0)
assert(first[1] == 'x')

-- close(reason): push fails with the reason; queued data still drains;
-- then pop gives nil, reason.
local c2 = channel.new()
c2:push('a'); c2:push('b')
c2:close("abcdefg")
ok, err = c2:push('c')
assert(ok == false and err == "abcdefg")
assert(c2:pop() == 'a' and c2:pop() == 'b')
local v2, e2 = c2:pop()
assert(v2 == nil and e2 == "abcdefg")

-- close() wakes a blocked popper with nil, "channel closed".
local c3 = channel.new()
local woke
task.fork(function() woke = { c3:pop() } end)
time.sleep(0)
c3:close()
time.sleep(0)
assert(woke[1] == nil and woke[2] == "channel closed")

-- clear drops queued items.
local c4 = channel.new()
c4:push(1); c4:push(2)
c4:clear()
c4:close()
local v4, e4 = c4:pop()
assert(v4 == nil and e4 == "channel closed")

-- send/recv are push/pop (the seed's broadcast example uses them).
local c5 = channel.new()
task.fork(function() time.sleep(2); c5:send('hello') end)
assert(c5:recv() == 'hello')

-- waitgroup: 5 forks sleep, the 5th raises; wait still returns.
local wg = waitgroup.new()
local finished = 0
for i = 1, 5 do
    wg:fork(function()
        time.sleep(20)
        if i == 5 then error('waitgroup task error') end
        finished = finished + 1
    end)
end
assert(wg.count == 5)
wg:wait()
assert(wg.count == 0 and finished == 4)
wg:wait() -- zero count returns at once

-- mutex: keyed, re-entrant for the owner, FIFO for others.
local m = mutex.new()
local log = {}
local l1 = m:lock('k')
local l2 = m:lock('k') -- re-entrant
for i = 1, 3 do
    task.fork(function()
        local l = m:lock('k')
        log[#log + 1] = i
        time.sleep(1)
        l:unlock()
    end)
end
local other = m:lock('other') -- a different key is independent
other:unlock()
time.sleep(5)
assert(#log == 0, 'others wait while the owner holds the lock')
l2:unlock()
time.sleep(5)
assert(#log == 0, 'still held after one of two levels')
l1:unlock()
time.sleep(30)
assert(table.concat(log, ',') == '1,2,3', table.concat(log, ','))
local l3 = m:lock('k')
l3:unlock()

print('core_sync ok')
