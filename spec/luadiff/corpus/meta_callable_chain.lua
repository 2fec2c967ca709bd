-- __call on a table whose __call is itself a callable table.
local inner = setmetatable({}, {__call = function(self, a, b) return "inner", a, b end})
local outer = setmetatable({}, {__call = function(self, x) return "outer", x end})
print("call", outer(1))
print("inner", inner("p", "q"))
print("notcallable", pcall(function() local t = setmetatable({}, {}) return t() end) == false)
