-- Spec: 10,000 silly tasks each sleep, exchange a value over a channel and
-- exit; the script then exits 0.
local silly = require "silly"
local task = require "silly.task"
local time = require "silly.time"
local channel = require "silly.sync.channel"

local N = 10000
local ch = channel.new()
local done = 0
for i = 1, N do
    task.fork(function(n)
        time.sleep(n % 10)
        ch:push(n)
        done = done + 1
    end, i)
end
local sum = 0
for _ = 1, N do
    sum = sum + ch:pop()
end
time.sleep(0)
assert(sum == N * (N + 1) / 2, 'sum ' .. sum)
assert(done == N, 'done ' .. done)
print('core_many ok')
silly.exit(0)
