-- string.pack / string.unpack / string.packsize: every format option of the
-- Lua 5.4 manual §6.4.2, alignment, and the checks with their errors.
local pack, unpack, packsize = string.pack, string.unpack, string.packsize
local function E(f, ...)
  local ok, err = pcall(f, ...)
  print(ok, (string.gsub(tostring(err), "^[^:]*:%d+: ", "")))
end
local function hex(s)
  return (string.gsub(s, ".", function(c) return string.format("%02X", string.byte(c)) end))
end
local function P(fmt, ...) print(fmt, hex(pack(fmt, ...))) end
local function U(fmt, s, pos)
  local r = {unpack(fmt, s, pos)}
  for i = 1, #r do r[i] = tostring(r[i]) end
  print(fmt, table.concat(r, " "))
end

-- integers of every size and both endiannesses
P("b", -1) P("B", 255) P("h", -2) P("H", 65535) P("<i4", 1) P(">i4", 1) P("=I4", 258)
P("<l", -1) P("<L", 1) P("<j", -3) P(">J", 4096) P("<T", 7)
P("<i1i2i3i5i6i7", 1, 2, 3, 5, 6, 7)
P(">I1I2I3I5I6I7", 1, 2, 3, 5, 6, 7)
P("<i16", -2) P(">i16", 5) P("<I9", 1) P("<i12", -1)
P("<i8", 2^53) P("<i8", -2^53) P(">j", 9007199254740991)
P(">I4I4", 0x80000000, 0)
P("i", 100)
-- eco/silly websocket headers
P(">BBI2", 0x81, 126, 300) P(">BBI8", 0x82, 127, 70000) P("<I1I1", 1, 2) P(">I1I1I2", 129, 126, 1000)
U(">I2", "\1\44") U(">I8", "\0\0\0\0\0\1\17\112") U("<I1I1", "\129\5")
-- signed/unsigned unpack
U("b", "\255") U("B", "\255") U("<h", "\254\255") U("<H", "\254\255") U("<i3", "\255\255\255") U("<I3", "\255\255\255")
U("<j", "\253\255\255\255\255\255\255\255") U("<i16", pack("<i16", -2)) U(">i16", pack(">i16", 5))
U("<I9", pack("<I9", 1)) U("<J", pack("<J", 2^53)) U("<j", pack("<j", -2^53)) U("<i8", pack("<i8", 123456789012345))
U("<J", "\255\255\255\255\255\255\255\255")
E(function() return unpack("<i9", "\0\0\0\0\0\0\0\0\1") end)
E(function() return unpack("<I9", "\0\0\0\0\0\0\0\128\255") end)
E(function() return unpack(">i16", string.rep("\0", 7) .. "\1" .. string.rep("\0", 8)) end)

-- overflow checks
E(function() return pack("b", 128) end)
E(function() return pack("b", -129) end)
E(function() return pack("B", 256) end)
E(function() return pack("B", -1) end)
E(function() return pack("i2", 40000) end)
E(function() return pack("I2", 65536) end)
E(function() return pack("i3", 2^23) end)
P("i3", -2^23) P("I3", 2^24 - 1) P("<J", -1) P("<I8", -2)
E(function() return pack("I4", -1) end)
E(function() return pack("i4", 1.5) end)
E(function() return pack("i4", "x") end)
E(function() return pack("i4") end)
P("i4", "12")

-- floats
P("<f", 1.5) P(">f", -2) P("<d", 1.5) P(">n", 0.1) P("<d", 1/0)
U("<f", pack("<f", 0.5)) U(">d", pack(">d", -3.25)) U("<n", pack("<n", 2^60))
print("f round", unpack("<f", pack("<f", 0.1)) == 0.1, math.abs(unpack("<f", pack("<f", 0.1)) - 0.1) < 1e-8)
E(function() return pack("d", "x") end)

-- strings: c, s[n], z
P("c5", "ab") P("c2", "ab") P("c0", "") P("<s1", "hi") P(">s2", "hi") P("<s", "x") P("z", "abc") P("zB", "", 7)
U("c3", "abcdef") U("<s1", "\3abcX") U(">s2", "\0\2hiX") U("zz", "ab\0cd\0") U("c0", "")
E(function() return pack("c2", "abc") end)
E(function() return pack("c", "a") end)
E(function() return pack("s1", string.rep("x", 256)) end)
E(function() return pack("z", "a\0b") end)
E(function() return unpack("z", "abc") end)
E(function() return unpack("<s1", "\5ab") end)
E(function() return unpack("c4", "abc") end)

-- padding and alignment
P("<!4 b i4", 1, 2) P("<!2 b i4", 1, 2) P("<! b d", 1, 0) P("<!8 b j", 1, 2) P("<b x x h", 1, 2)
P("<!4 b Xi4 b", 1, 2) P("<!4 bXh", 1) P("<i3 !4 Xi4", 1) P("<b !2 Xi8", 1) P("< b i4", 1, 2)
U("<!4 b i4", pack("<!4 b i4", 1, 2)) U("<!4 bXi4", "\1\0\0\0")
E(function() return pack("!3 b i4", 1, 2) end)
E(function() return pack("X", 1) end)
E(function() return pack("Xc1", 1) end)
E(function() return pack("Xz", 1) end)
E(function() return pack("!17 b", 1) end)
E(function() return pack("i0", 1) end)
E(function() return pack("i17", 1) end)
E(function() return pack("y", 1) end)
E(function() return pack("i4", 2^31) end)

-- packsize
print("packsize", packsize("i4"), packsize("<!4 b i4"), packsize("b x h"), packsize("c10"), packsize(""), packsize("!8 b d b"), packsize("Xi4"))
print("packsize", packsize("j n"), packsize("i16 b"), packsize("i3 !4 Xi4"))
E(function() return packsize("!4 i3") end)
E(function() return packsize("s") end)
E(function() return packsize("z") end)
E(function() return packsize("c200000000 c2000000000") end)
E(function() return packsize("c2147483647") end)
print("packsize big", packsize("c2000000000"), packsize("c214748364 b"))

-- unpack positions
U("b", "\1\2\3", 2) U("b", "\1\2\3", -1) U("b", "\1\2\3", -10) U("bb", "\1\2\3", 2)
print("pos", unpack("b", "\1\2\3", 3), select(2, unpack("", "abc", 4)))
E(function() return unpack("b", "\1\2\3", 5) end)
E(function() return unpack("b", "\1\2\3", 4) end)
E(function() return unpack("i4", "abc") end)
E(function() return unpack("b", "x", 1.5) end)

-- round trips of every integer size
local okall = true
for size = 1, 16 do
  for _, v in ipairs({0, 1, -1, 127, -128, 2^31 - 1, -2^31, 2^53, -2^53}) do
    local bits = size * 8
    if size >= 8 or (v >= -2^(bits - 1) and v < 2^(bits - 1)) then
      for _, e in ipairs({"<", ">"}) do
        local f = e .. "i" .. size
        if unpack(f, pack(f, v)) ~= v then okall = false; print("bad", f, v) end
      end
    end
  end
end
print("round trips", okall)
