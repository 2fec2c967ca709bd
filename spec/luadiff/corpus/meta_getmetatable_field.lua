-- pending: an error raised by a Go function called directly by pcall gains a position (issue 12: pcall(error, 'msg') adds a position)
-- __metatable hides and protects a metatable.
local t = setmetatable({}, {__metatable = "locked"})
print("get", getmetatable(t))
print("set", pcall(setmetatable, t, {}))
print("string", getmetatable("").__index == string)
print("nil", getmetatable({}))
