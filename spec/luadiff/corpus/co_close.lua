-- coroutine.close on suspended and dead coroutines.
local co = coroutine.create(function() coroutine.yield() end)
coroutine.resume(co)
print("close", coroutine.close(co))
print("status", coroutine.status(co))
local bad = coroutine.create(function() error("x", 0) end)
coroutine.resume(bad)
print("closedead", coroutine.close(bad))
print("closenew", coroutine.close(coroutine.create(print)))
