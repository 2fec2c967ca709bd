-- next on empty and one-element tables; next with a bad key.
print("empty", next({}))
print("one", next({x = 1}))
local t = {10}
print("after", next(t, 1))
print("bad", pcall(next, {}, "nokey"))
