-- golua.bus in the silly dialect: tasks made with silly.task.fork.
local task = require "silly.task"
local time = require "silly.time"
local bus = require "golua.bus"

local sub = assert(bus.subscribe("chat.*"))

-- recv timeouts are in seconds in both dialects.
local t0 = time.monotonic()
local data, err = sub:recv(0.05)
assert(data == nil and err == "timeout", tostring(err))
assert(time.monotonic() - t0 >= 40, "recv(0.05) returned early")

-- A task blocked in recv does not block the others.
local ticks, got = 0, nil
task.fork(function()
	got = { sub:recv(10) }
end)
task.fork(function()
	for _ = 1, 5 do
		ticks = ticks + 1
		time.sleep(10)
	end
	assert(bus.publish("chat.room", "hello") == true)
end)
while not got do time.sleep(5) end
assert(ticks == 5, "recv blocked the other task: " .. ticks)
assert(got[1] == "hello" and got[2] == "chat.room" and got[3] == nil)

-- Request/reply between two silly tasks.
local svc = assert(bus.subscribe("svc.>"))
local svc_end
task.fork(function()
	while true do
		local d, subj, reply = svc:recv()
		if not d then svc_end = subj return end
		assert(bus.publish(reply, subj .. ":" .. d))
	end
end)
assert(bus.request("svc.upper", "hi", 2) == "svc.upper:hi")
local r, e = bus.request("nobody", "x", 1)
assert(r == nil and e == "no responders", e)

svc:close()
while not svc_end do time.sleep(5) end
assert(svc_end == "closed")
sub:close()
print("ok")
