-- string.byte and sub with negative and out-of-range indices.
local s = "abcdef"
print("byte", s:byte(-2, -1))
print("byte0", select("#", s:byte(0)))
print("sub", s:sub(-2, -3), s:sub(-100, 100), s:sub(4, -1))
print("rep", pcall(string.rep, "x", 1e10) == false)
