-- Spec: silly.metrics.c's netstat counts the TCP connections the silly.net
-- layer has open, and the bytes through them. Run with --fatal-errors.
local metrics = require "silly.metrics.c"
local tcp = require "silly.net.tcp"
local time = require "silly.time"

local function eq(a, b, what)
	if a ~= b then
		error(string.format("%s: expected %s, got %s", what, tostring(b), tostring(a)), 2)
	end
end

local conns0, sent0, recv0, req, done = metrics.netstat()
eq(conns0, 0, "no connection at start")
eq(req, done, "no socket operation pending")

local accepted
local l = assert(tcp.listen {addr = "127.0.0.1:0", accept = function(conn)
	accepted = conn
	local d = conn:read(5)
	conn:write(d)
end})
local c = assert(tcp.connect(l:addr()))
assert(c:write("hello"))
eq(c:read(5), "hello", "echo")
-- The echo's bytes are counted once its write returns, which may be just
-- after the client has read them: wait (bounded) for the count to settle.
local conns, sent, recv = metrics.netstat()
for _ = 1, 100 do
	if sent - sent0 >= 10 and recv - recv0 >= 10 then break end
	time.sleep(10)
	conns, sent, recv = metrics.netstat()
end
eq(conns, 2, "both ends of the connection are open")
eq(sent - sent0, 10, "bytes sent both ways")
eq(recv - recv0, 10, "bytes received both ways")

-- the peer closing does not close our side; closing it does
c:close()
time.sleep(100)
eq((metrics.netstat()), 1, "the accepted side stays open until closed")
accepted:close()
time.sleep(100)
eq((metrics.netstat()), 0, "both sides closed")
l:close()

local sys0, user0 = metrics.cpustat()
local x = 0
for i = 1, 3e6 do x = x + i % 7 end
local sys, user = metrics.cpustat()
assert(sys >= sys0 and user > user0, "cpu time grows with work")
local soft, hard = metrics.maxfds()
assert(soft > 0 and hard >= soft, "fd limits")
assert(metrics.openfds() >= 3, "open fds")
local rss, heap = metrics.memstat()
assert(rss > 0 and heap > 0, "memory")
assert(metrics.workerstat() >= 0, "backlog")
print("metrics ok")
