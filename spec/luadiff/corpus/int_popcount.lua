-- pending: x = x >> 1 on the last parameter (issue 12 bug 2)
-- Bit counting with shifts.
local function popcount(x)
  local n = 0
  while x ~= 0 do n = n + (x & 1); x = x >> 1 end
  return n
end
for _, v in ipairs({0, 1, 255, 1023, 0x5555, -1}) do print("pop", v, popcount(v)) end
