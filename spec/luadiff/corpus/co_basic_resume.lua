-- resume/yield pass values both ways.
local co = coroutine.create(function(a, b)
  print("start", a, b)
  local c = coroutine.yield(a + b)
  print("got", c)
  local d, e = coroutine.yield(c * 2)
  print("got2", d, e)
  return "fin", d + e
end)
print("r1", coroutine.resume(co, 1, 2))
print("r2", coroutine.resume(co, 10))
print("r3", coroutine.resume(co, 3, 4))
print("r4", coroutine.resume(co))
