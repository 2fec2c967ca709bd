-- __lt and __le; 5.4 no longer derives __le from __lt.
local mt = {}
mt.__lt = function(a, b) return a.v < b.v end
mt.__le = function(a, b) return a.v <= b.v end
local x, y = setmetatable({v = 1}, mt), setmetatable({v = 2}, mt)
print("lt", x < y, y < x, x > y)
print("le", x <= y, y <= x, x >= y)
local only = {__lt = function(a, b) return a.v < b.v end}
local p, q = setmetatable({v = 1}, only), setmetatable({v = 2}, only)
print("lt-only", p < q)
print("le-missing", pcall(function() return p <= q end))
