-- __tostring and __name in tostring and print.
local t = setmetatable({}, {__tostring = function(self) return "custom!" end})
print("tostring", tostring(t))
print("print", t)
local named = setmetatable({}, {__name = "MyType", __tostring = function() return "named obj" end})
print("named", tostring(named))
local bad = setmetatable({}, {__tostring = function() return 42 end})
print("bad", pcall(tostring, bad))
