-- string.pack/unpack of integer formats with explicit endianness.
local p = string.pack("<i4", 0x01020304)
print("le", p:byte(1, -1))
print("be", string.pack(">i4", 0x01020304):byte(1, -1))
print("round", string.unpack("<i2", string.pack("<i2", -2)))
print("u", string.unpack("<I2", "\255\255"))
print("b", string.unpack("b", "\255"), string.unpack("B", "\255"))
print("j", string.unpack("<j", string.pack("<j", -123456789)))
print("size", string.packsize("i4i8"), string.packsize("<i2i4"), string.packsize("!4i2i4"))
