-- Bitwise operators: 5.4 semantics on integer-valued numbers.
local a, b = 0xF0, 0x3C
print(a & b, a | b, a ~ b, ~a, ~0, ~-1)
print(a << 4, a >> 4, 1 << 62, 1 << 63, 1 << 64, 1 << 100)
print(-1 >> 60, -1 >> 63, -1 >> 64, 8 >> -2, 8 << -2, 1 << -64)
print(5 & -1, -8 | 3, -1 ~ 5, ~5)
-- operands are converted to integers
print(3.0 & 1, 2^3 | 0, 2^53 & 1, -2^63 | 0)
-- constant operands are folded, variables go through the helper: same results
local one, sixty = 1, 60
print(1 << 60 == one << sixty, 0xFF & 0x0F == 0xFF & (one * 0x0F))
-- errors
local function try(f, ...)
  local ok, err = pcall(f, ...)
  -- positions and Lua's variable descriptions are left out of the comparison
  err = string.gsub(tostring(err), "^.-:%d+: ", "")
  print(ok, (string.gsub(err, " %b()", "")))
end
try(function(x) return x & 1 end, 1.5)
try(function(x) return 1 | x end, 2^64)
try(function(x) return x ~ 1 end, "1.5")
try(function(x) return x & 1 end, "12")
try(function(x) return x << 1 end, "abc")
try(function(x) return ~x end, {})
try(function(x) return x >> 1 end, nil)
try(function(x) return 1 & x end, true)
-- metamethods
local mt = {}
for _, ev in ipairs({"band", "bor", "bxor", "shl", "shr", "bnot"}) do
  mt["__" .. ev] = function(x, y)
    local l = type(x) == "table" and x.name or tostring(x)
    local r = type(y) == "table" and y.name or tostring(y)
    return ev .. "(" .. l .. "," .. r .. ")"
  end
end
local o = setmetatable({name = "o"}, mt)
print(o & 1, 2 | o, o ~ o, o << 3, 4 >> o, ~o)
-- results are usable numbers
local x = (0x12345678 >> 16) & 0xFF
print(x, x + 1, math.floor(x) == x)
local flags = 0
for i = 0, 7, 2 do flags = flags | (1 << i) end
print(flags, flags & (1 << 2) ~= 0, flags & (1 << 3) ~= 0)
-- websocket-style frame header packing
local fin, opcode, masked, len = 1, 2, 1, 125
local b1 = (fin << 7) | opcode
local b2 = (masked << 7) | len
print(b1, b2, (b1 >> 7) & 1, b1 & 0x0F, b2 & 0x7F)
