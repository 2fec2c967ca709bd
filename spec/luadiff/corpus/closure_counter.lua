-- Closures keep private state: two counters do not share it.
local function counter(start)
  local n = start
  return function(step) n = n + (step or 1); return n end
end
local a, b = counter(0), counter(100)
print("a1", a())
print("a2", a(5))
print("b1", b())
print("a3", a())
print("b2", b(-50))
