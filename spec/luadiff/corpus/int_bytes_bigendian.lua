-- Splitting integers into bytes and back.
local function bytes(x) return (x >> 24) & 255, (x >> 16) & 255, (x >> 8) & 255, x & 255 end
local function join(a, b, c, d) return (a << 24) | (b << 16) | (c << 8) | d end
print("split", bytes(0x01020304))
print("join", join(bytes(0x7F00FF01)) == 0x7F00FF01)
print("pack", string.pack(">I4", 0x01020304) == string.char(bytes(0x01020304)))
