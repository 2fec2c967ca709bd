-- table.unpack with explicit ranges.
local t = {10, 20, 30, 40, 50}
print("all", table.unpack(t))
print("mid", table.unpack(t, 2, 4))
print("empty", select("#", table.unpack(t, 3, 2)))
print("beyond", table.unpack(t, 4, 7))
print("neg", table.unpack({1, 2, 3}, -1, 1))
