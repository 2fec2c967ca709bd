-- Spec: 10,000 tasks each sleep, exchange a value over a channel and exit;
-- the script then ends and the process exits 0.
local eco = require 'eco'
local channel = require 'eco.channel'

local N = 10000
local ch = channel.new(64)
local sum, done = 0, 0
for i = 1, N do
    eco.run(function()
        eco.sleep(0.001 * (i % 10))
        ch:send(i)
        done = done + 1
    end)
end
assert(eco.count() > N / 2, 'tasks are alive while sleeping: ' .. eco.count())
for _ = 1, N do
    sum = sum + ch:recv(5)
end
eco.sleep(0)
assert(sum == N * (N + 1) / 2, 'sum ' .. sum)
assert(done == N, 'done ' .. done)
assert(eco.count() == 1, 'all tasks exited: ' .. eco.count())
print('core_many ok')
