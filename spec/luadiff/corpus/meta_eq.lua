-- __eq is used only for two tables (or two userdata).
local mt = {__eq = function(a, b) return a.v == b.v end}
local a = setmetatable({v = 1}, mt)
local b = setmetatable({v = 1}, mt)
local c = setmetatable({v = 2}, mt)
print("eq", a == b, a == c, a ~= b)
print("raw", rawequal(a, b))
print("notable", a == 1, a == "x")
local d = setmetatable({v = 1}, {__eq = function() return true end})
print("mixed", a == d, d == a)
