-- Resuming a running or normal coroutine fails.
local co
co = coroutine.create(function()
  print("self", coroutine.resume(co))
  local inner = coroutine.create(function()
    print("normal", coroutine.status(co), coroutine.resume(co))
  end)
  coroutine.resume(inner)
end)
coroutine.resume(co)
