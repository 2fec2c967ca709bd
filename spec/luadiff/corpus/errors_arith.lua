-- Arithmetic errors that name variables (5.4 adds "(local 'x')").
local t = {}
print("local", pcall(function() local x = {} return x + 1 end))
print("upval", pcall(function() return t + 1 end))
print("field", pcall(function() return t.f * 2 end))
print("global", pcall(function() return undefinedglobal - 1 end))
