-- Bitwise operators on integers.
print("and", 0xF0 & 0x3C, "or", 0xF0 | 0x0F, "xor", 0xFF ~ 0x0F)
print("not", ~0, ~5, ~-1)
print("shl", 1 << 0, 1 << 10, 1 << 62)
print("shr", 1024 >> 3, -1 >> 60, 256 >> 9)
print("neg", 1 << -1, 8 >> -2)
print("wide", 1 << 64, 1 << 63 == math.mininteger)
print("mix", (5 & 3) | (8 ~ 2))
print("str", pcall(function() return "3" & 1 end))
