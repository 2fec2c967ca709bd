-- __unm and unary minus on numbers and numeric strings.
local v = setmetatable({x = 3}, {__unm = function(a) return "neg" .. a.x end})
print("unm", -v)
print("num", -(-5))
print("str", -"2")
print("err", pcall(function() return -{} end))
