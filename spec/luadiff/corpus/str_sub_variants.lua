-- string.sub index rules.
local s = "hello"
print("sub", s:sub(2), s:sub(-3), s:sub(2, -2), s:sub(0), s:sub(10))
print("empty", "[" .. s:sub(3, 2) .. "]", "[" .. s:sub(-100, 1) .. "]")
print("last", s:sub(-1), s:sub(5, 5))
