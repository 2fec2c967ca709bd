-- Floor division //
print(7 // 2, -7 // 2, 7 // -2, -7 // -2, 0 // 5, 6 // 3)
local a, b = 7, 2
print(a // b, -a // b, a // -b, -a // -b)
print(7.5 // 2, -7.5 // 2, 1 // 0.5, 7 // 2.5)
print(3.5 // 0, -3.5 // 0)
print("7" // 2, 7 // "2")
local function try(f, ...)
  local ok, err = pcall(f, ...)
  err = string.gsub(tostring(err), "^.-:%d+: ", "")
  print(ok, (string.gsub(err, " %b()", "")))
end
try(function(x) return x // 0 end, 3)
try(function(x) return 3 // x end, 0)
try(function(x) return x // 1 end, {})
try(function(x) return x // 1 end, "x")
local mt = {__idiv = function(x, y) return "idiv" end}
local o = setmetatable({}, mt)
print(o // 1, 1 // o)
-- typical use: pages and byte counts
local n = 1000
print(n // 256, n % 256, (n // 256) * 256 + n % 256 == n)
-- float division by zero: 5.4 gives inf here, because 0.0 is a float
try(function(x) return 3 // x end, 0.0)
