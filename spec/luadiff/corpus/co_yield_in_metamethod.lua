-- Yielding from inside an __index function called by a coroutine.
local t = setmetatable({}, {__index = function(t, k)
  return coroutine.yield("need " .. k)
end})
local co = coroutine.wrap(function() return "value: " .. t.foo end)
print("y", co())
print("r", co("bar"))
