-- Bit counting with shifts.
local function popcount(x)
  local n = 0
  while x ~= 0 do n = n + (x & 1); x = x >> 1 end
  return n
end
for _, v in ipairs({0, 1, 255, 1023, 0x5555, 0x7fffffff}) do print("pop", v, popcount(v)) end
-- -1 >> 1 is 2^63-1, which a float64 cannot hold (docs/lua-compat.md, intexpr).
print("neg", pcall(popcount, -1))
