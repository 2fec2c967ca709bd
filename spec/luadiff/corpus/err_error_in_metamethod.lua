-- Errors raised inside metamethods propagate.
local t = setmetatable({}, {__index = function(_, k) error("no key " .. k, 0) end})
print("index", pcall(function() return t.zzz end))
local u = setmetatable({}, {__add = function() error({why = "add"}) end})
local ok, e = pcall(function() return u + 1 end)
print("add", ok, e.why)
