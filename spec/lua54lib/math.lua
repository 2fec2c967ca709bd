-- math library additions of Lua 5.3/5.4 (Lua 5.1 syntax only).
local function E(f, ...)
  local ok, err = pcall(f, ...)
  print(ok, (string.gsub(tostring(err), "^[^:]*:%d+: ", "")))
end

-- math.type: every number in golua-ws is a float64; integral values in
-- [-2^63, 2^63) count as "integer".
print("type", math.type(1), math.type(-7), math.type(0), math.type(2^53))
print("type", math.type(1.5), math.type(-0.25), math.type(1/0), math.type(-1/0), math.type(0/0))
print("type", math.type("1"), math.type({}), math.type(nil), math.type(true))
print("type", math.type(2^63), math.type(-2^63), math.type(2^62))
E(function() return math.type() end)

-- math.tointeger
print("toint", math.tointeger(3), math.tointeger(-12), math.tointeger(3.5), math.tointeger("8"))
print("toint", math.tointeger("x"), math.tointeger({}), math.tointeger(2^63), math.tointeger(-2^63))
print("toint", math.tointeger(1/0), math.tointeger(0/0), math.tointeger("0x10"), math.tointeger(" 5 "))
E(function() return math.tointeger() end)

-- maxinteger / mininteger
print("mininteger", math.mininteger, math.type(math.mininteger))
print("min<max", math.mininteger < 0, math.maxinteger > 2^62, math.type(math.maxinteger))
print("tointeger(max)", math.tointeger(math.maxinteger) == math.maxinteger)

-- math.ult
print("ult", math.ult(1, 2), math.ult(2, 1), math.ult(-1, 2), math.ult(2, -1), math.ult(0, 0))
E(function() return math.ult(1.5, 2) end)
E(function() return math.ult(1, "x") end)
E(function() return math.ult(1) end)

-- abs / floor / ceil / fmod / log / modf
print("abs", math.abs(-3), math.abs(4), math.abs(-0))
print("floor", math.floor(3.7), math.floor(-3.2), math.floor(5), math.type(math.floor(2.5)))
print("ceil", math.ceil(3.2), math.ceil(-3.7), math.ceil(-0.5), math.type(math.ceil(2.5)))
print("fmod", math.fmod(7, 3), math.fmod(-7, 3), math.fmod(7, -3), math.fmod(-7, -3))
print("fmod", math.fmod(7, 1), math.fmod(-6, 2), math.fmod(math.mininteger, -1))
print("fmodf", math.fmod(7.5, 2) == 1.5, math.fmod(-7.5, 2) == -1.5, math.fmod(1, 0.5) == 0)
print("fmodnan", math.fmod(1.5, 0) ~= math.fmod(1.5, 0))
E(function() return math.fmod(1, 0) end)
E(function() return math.fmod(5) end)
print("log", math.log(8, 2), math.log(100, 10), math.log(1), math.log(27, 3) - 3 < 1e-12)
print("log", math.log(1024, 2), math.log(1000, 10), math.log(0) == -1/0)
E(function() return math.log("x") end)
local ip, fp = math.modf(3.75)
print("modf", ip == 3, fp == 0.75)
ip, fp = math.modf(-3.75)
print("modf", ip == -3, fp == -0.75)
ip, fp = math.modf(1/0)
print("modf", ip == 1/0, fp == 0)

-- math.random (5.4 argument rules)
math.randomseed(42)
local okr = true
for i = 1, 200 do
  local a = math.random(3)
  local b = math.random(-2, 2)
  local c = math.random()
  if a < 1 or a > 3 or a ~= math.floor(a) then okr = false end
  if b < -2 or b > 2 or b ~= math.floor(b) then okr = false end
  if c < 0 or c >= 1 then okr = false end
end
print("random ranges", okr, math.type(math.random(0)))
E(function() return math.random(0, -1) end)
E(function() return math.random(2, 1) end)
E(function() return math.random(1.5) end)
E(function() return math.random(1, 2, 3) end)
print("random(5,5)", math.random(5, 5))
