-- Arguments to a wrapped function on first and later calls.
local f = coroutine.wrap(function(...)
  print("first", ...)
  local a = {coroutine.yield(select("#", ...))}
  print("second", table.unpack(a))
  return "ret"
end)
print("c1", f(1, 2, 3))
print("c2", f("x", "y"))
