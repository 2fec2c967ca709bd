-- CRC-32 without a table, xorshift32 and the C library LCG, all masked to 32 bits.
local function crc32(s)
  local crc = 0xffffffff
  for i = 1, #s do
    crc = crc ~ s:byte(i)
    for _ = 1, 8 do
      crc = (crc >> 1) ~ (0xEDB88320 & -(crc & 1))
    end
  end
  return ~crc & 0xffffffff
end
print("crc", crc32(""), crc32("a"), crc32("123456789"), crc32(("golua"):rep(40)))
local x = 2463534242
for i = 1, 4 do
  x = x ~ ((x << 13) & 0xffffffff)
  x = x ~ (x >> 17)
  x = x ~ ((x << 5) & 0xffffffff)
  print("xorshift", i, x)
end
local seed = 42
for i = 1, 3 do
  seed = (seed * 1103515245 + 12345) & 0x7fffffff
  print("lcg", i, seed)
end
