-- A coroutine resuming another coroutine.
local inner = coroutine.create(function()
  coroutine.yield("i1")
  coroutine.yield("i2")
  return "idone"
end)
local outer = coroutine.create(function()
  while true do
    local ok, v = coroutine.resume(inner)
    if coroutine.status(inner) == "dead" then return "outer got " .. v end
    coroutine.yield("o:" .. v)
  end
end)
for i = 1, 4 do print("step" .. i, coroutine.resume(outer)) end
