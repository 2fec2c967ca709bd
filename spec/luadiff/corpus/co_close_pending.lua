-- coroutine.close runs the pending <close> variables of a suspended coroutine.
local function closer(name, fail)
  return setmetatable({}, {__close = function(_, e)
    print("close", name, e)
    if fail then error(fail, 0) end
  end})
end
local co = coroutine.create(function()
  local a <close> = closer("a")
  do
    local b <close> = closer("b")
    coroutine.yield(1)
  end
  coroutine.yield(2)
end)
print(coroutine.resume(co))
print(coroutine.close(co))
print(coroutine.status(co), coroutine.resume(co))
-- a __close that fails: close returns false and that error
local bad = coroutine.create(function()
  local x <close> = closer("x")
  local y <close> = closer("y", "y failed")
  coroutine.yield()
end)
coroutine.resume(bad)
print(coroutine.close(bad))
print(coroutine.status(bad))
-- yield inside a <close> scope, closed on normal exit after resuming
local g = coroutine.wrap(function()
  local z <close> = closer("z")
  local v = coroutine.yield("in scope")
  return "out", v
end)
print(g())
print(g(7))
-- a wrapped coroutine dying with an error closes its variables with that
-- error before the error reaches the caller
local e = coroutine.wrap(function()
  local w <close> = closer("w")
  coroutine.yield()
  error("died", 0)
end)
e()
print(pcall(e))
