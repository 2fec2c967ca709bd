-- pack/unpack errors.
print("overflow", pcall(string.pack, "i1", 200))
print("short", pcall(string.unpack, "i4", "ab"))
print("badfmt", pcall(string.pack, "y", 1))
print("zero", pcall(string.pack, "z", "a\0b"))
print("sizez", pcall(string.packsize, "z"))
