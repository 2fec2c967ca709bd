-- status of the resumer seen from a nested coroutine.
local outer
outer = coroutine.create(function()
  local inner = coroutine.create(function()
    return coroutine.status(outer)
  end)
  return coroutine.resume(inner)
end)
print("status", coroutine.resume(outer))
print("after", coroutine.status(outer))
