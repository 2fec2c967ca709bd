-- __len overrides # for tables; rawlen ignores it.
local t = setmetatable({1, 2, 3}, {__len = function() return 42 end})
print("len", #t)
print("rawlen", rawlen(t))
local s = setmetatable({}, {__len = function(self) return "not a number" end})
print("strlen", #s)
print("strraw", rawlen("hello"))
