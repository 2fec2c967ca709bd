-- Bitwise metamethods.
local mt = {}
local function B(x) return setmetatable({x = x}, mt) end
local function v(a) return type(a) == "table" and a.x or a end
mt.__band = function(a, b) return v(a) & v(b) end
mt.__bor = function(a, b) return v(a) | v(b) end
mt.__bxor = function(a, b) return v(a) ~ v(b) end
mt.__shl = function(a, b) return v(a) << v(b) end
mt.__shr = function(a, b) return v(a) >> v(b) end
mt.__bnot = function(a) return ~v(a) end
print("band", B(12) & 10, 12 & B(10))
print("bor", B(12) | 3)
print("bxor", B(12) ~ 5)
print("shl", B(1) << 4, "shr", B(256) >> 4)
print("bnot", ~B(0))
print("err", pcall(function() return {} & 1 end))
