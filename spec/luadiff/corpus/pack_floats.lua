-- d and f formats.
print("d", string.unpack("<d", string.pack("<d", 1.5)))
print("f", string.unpack("<f", string.pack("<f", 0.25)))
print("bytes", string.pack(">d", -2.5):byte(1, 3))
print("n", #string.pack("n", 3.25))
