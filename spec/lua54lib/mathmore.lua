-- math.min/max (compare with "<", any values), abs, floor/ceil of huge
-- values, tointeger, pi and huge printing
local function try(...)
  local r = {pcall(...)}
  for i = 1, #r do r[i] = tostring(r[i]) end
  print(table.concat(r, "\t"))
end
print(math.max(1, 2.5, -1), math.min(3), math.min(1, -2, 5), math.max("a", "b"), math.max(-0.5, -1))
try(math.max)
try(math.min)
try(math.max, "10", 2)
try(math.min, 1, "x")
local big = setmetatable({v = 2}, {__lt = function(a, b) return a.v < b.v end})
local small = setmetatable({v = 1}, {__lt = big and getmetatable(big).__lt})
print(math.max(small, big) == big, math.min(small, big) == small)
print(math.floor(1e100) == 1e100, math.ceil(-1e100) == -1e100, math.floor(-3.5), math.ceil(3.2), math.floor(2^62))
print(math.tointeger(8), math.tointeger(8.5), math.tointeger("x"), math.tointeger(2^53))
print(math.abs(-3), math.abs(-2.5), math.abs(3))
print(math.pi, -math.pi, math.huge, -math.huge)
print(math.fmod(5, 3), math.fmod(-5, 3), math.fmod(5, -3), math.fmod(-6, 3), math.fmod(5.5, 2))
try(math.fmod, 5, 0)
try(math.floor, "x")
print(math.floor("3.5"), math.ult(1, -1), math.type(1), math.type(1.5), math.type("1"))
