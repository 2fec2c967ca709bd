-- __eq is not called for the same object or for different types.
local calls = 0
local mt = {__eq = function() calls = calls + 1 return false end}
local a = setmetatable({}, mt)
print("same", a == a, calls)
print("other", a == setmetatable({}, mt), calls)
print("vsnum", a == 1, calls)
