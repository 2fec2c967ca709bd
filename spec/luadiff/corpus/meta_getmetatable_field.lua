-- __metatable hides and protects a metatable.
local t = setmetatable({}, {__metatable = "locked"})
print("get", getmetatable(t))
print("set", pcall(setmetatable, t, {}))
print("string", getmetatable("").__index == string)
print("nil", getmetatable({}))
