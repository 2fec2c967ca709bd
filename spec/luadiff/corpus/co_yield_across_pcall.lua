-- Lua 5.4 allows yielding across pcall.
local co = coroutine.create(function()
  local ok, v = pcall(function()
    local x = coroutine.yield("in pcall")
    return x * 2
  end)
  coroutine.yield("after", ok, v)
  local ok2, e = pcall(function()
    coroutine.yield("again")
    error("late", 0)
  end)
  return "end", ok2, e
end)
print("r1", coroutine.resume(co))
print("r2", coroutine.resume(co, 21))
print("r3", coroutine.resume(co))
print("r4", coroutine.resume(co))
