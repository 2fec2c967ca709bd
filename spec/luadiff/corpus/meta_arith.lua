-- Arithmetic metamethods on either operand.
local mt = {}
local function V(x) return setmetatable({x = x}, mt) end
local function val(a) return type(a) == "table" and a.x or a end
mt.__add = function(a, b) return V(val(a) + val(b)) end
mt.__sub = function(a, b) return V(val(a) - val(b)) end
mt.__mul = function(a, b) return V(val(a) * val(b)) end
mt.__mod = function(a, b) return V(val(a) % val(b)) end
mt.__idiv = function(a, b) return V(val(a) // val(b)) end
mt.__pow = function(a, b) return "pow" end
mt.__div = function(a, b) return "div" end
print("add", (V(2) + 3).x, (3 + V(2)).x)
print("sub", (V(10) - V(4)).x, (1 - V(4)).x)
print("mul", (V(6) * 7).x)
print("mod", (V(17) % 5).x)
print("idiv", (V(17) // 5).x, (17 // V(5)).x)
print("pow", V(1) ^ 2, "div", 2 / V(1))
