-- Error values that are tables pass through unchanged.
local e = {code = 404, msg = "not found"}
local ok, got = pcall(error, e)
print("same", ok, got == e, got.code)
local ok2, got2 = pcall(function() error(setmetatable({}, {__tostring = function() return "E!" end})) end)
print("tostring", ok2, tostring(got2))
local ok3, got3 = pcall(error, true)
print("bool", ok3, got3)
