-- z, s and fixed strings in pack.
local p = string.pack("z", "hello")
print("z", #p, string.unpack("z", p))
local s = string.pack("s1", "abc")
print("s1", #s, s:byte(1), string.unpack("s1", s))
print("c", string.unpack("c3", "abcdef"))
print("multi", string.unpack("<i2 z B", string.pack("<i2 z B", 300, "x", 7)))
print("pos", string.unpack("B", "abc", 2))
