-- 32-bit rotations built from shifts and masks (masking before the left
-- shift keeps every intermediate below 2^53).
local function rotl32(x, n) return ((x & ((1 << (32 - n)) - 1)) << n) | (x >> (32 - n)) end
local function rotr32(x, n) return (x >> n) | ((x & ((1 << n) - 1)) << (32 - n)) end
for _, n in ipairs({1, 4, 8, 31}) do
  print("rot", n, rotl32(0x12345678, n), rotr32(0x12345678, n))
end
print("inv", rotr32(rotl32(0xDEADBEEF, 13), 13) == 0xDEADBEEF)
