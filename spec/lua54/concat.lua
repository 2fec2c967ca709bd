-- The .. operator: numbers convert like tostring (%.14g), chains, metamethods
print(1 .. 2, "a" .. 1.5, 1/3 .. "", 2^63 .. "", 1/0 .. "|" .. -1/0)
print(-1/3 .. "", 1e100 .. "", 123456789012.5 .. "", 5e-324 .. "", 0.1 .. "")
local mt = {__concat = function(a, b)
  local x = type(a) == "table" and "T" or a
  local y = type(b) == "table" and "T" or b
  return "(" .. x .. "+" .. y .. ")"
end}
local t = setmetatable({}, mt)
print(t .. "a" .. "b", "a" .. t .. "b", t .. t, 1 .. t .. 2)
-- the last parameter as the target (gopher-lua compiles such calls in place)
local function f(a, s) s = s .. "x" .. a return s end
print(f(1, "p"), f(0.5, "q"))
local function g(p) p = p .. 1 return p .. 2 end
print(g("z"))
local n = 10
print(n .. "", n .. n, (n .. n) + 1)
local function try(f)
  local ok, err = pcall(f)
  print(ok, (string.gsub(err, "^.-:%d+: ", "")))
end
try(function() return "a" .. nil end)
try(function() return {} .. "a" end)
try(function() local x = "a" return x .. {} .. "b" end)
try(function() return 1 .. true end)
local s = ""
for i = 1, 5 do s = s .. i .. "," end
print(s, #s)
print(("x"):rep(2) .. 3, #{("a" .. "b")}, select('#', "a" .. 1))
local x, y = "a", "b"
print(x .. y .. x, x .. (y .. x), (x .. y) .. x)
local u = {}
u.s = "k" .. n
u[1] = n .. 0.25
print(u.s, u[1], "" .. -0.0, -(2^53) .. "")
-- a call or ... as an operand gives one value
local function two() return "a", "b" end
local function va(...) return ... .. "|" .. two() .. "|" .. (two()) end
print(va("x", "y"), "p" .. two(), select('#', "q" .. two()), two() .. two())
