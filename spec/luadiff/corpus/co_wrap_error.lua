-- An error inside a wrapped coroutine propagates to the caller.
local f = coroutine.wrap(function() error("wrapped", 0) end)
print("wrap", pcall(f))
local g = coroutine.wrap(function() coroutine.yield(1) end)
g()
g()
print("dead", pcall(g))
