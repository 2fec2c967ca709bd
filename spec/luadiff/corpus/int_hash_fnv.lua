-- A 32-bit multiplicative hash with masks (products stay below 2^53).
local function hash(s)
  local h = 5381
  for i = 1, #s do
    h = ((h * 33) ~ s:byte(i)) & 0xFFFFFFFF
  end
  return h
end
print("djb", hash(""), hash("a"), hash("hello"), hash(("xyz"):rep(20)))
local function rotl(x, n) return ((x << n) | (x >> (32 - n))) & 0xFFFFFFFF end
print("rotl", rotl(0x80000001, 1), rotl(0x12345678, 8), rotl(1, 31))
