-- coroutine.status through the life cycle.
local co
co = coroutine.create(function()
  print("inside", coroutine.status(co))
  coroutine.yield()
end)
print("created", coroutine.status(co))
coroutine.resume(co)
print("yielded", coroutine.status(co))
coroutine.resume(co)
print("finished", coroutine.status(co))
print("again", coroutine.resume(co))
