-- Iterating with utf8.codes and utf8.offset.
local s = "aé€😀"
for p, c in utf8.codes(s) do print("code", p, c) end
print("off", utf8.offset(s, 1), utf8.offset(s, 2), utf8.offset(s, 3), utf8.offset(s, 4), utf8.offset(s, 5))
print("offneg", utf8.offset(s, -1), utf8.offset(s, -2))
print("off0", utf8.offset(s, 0, 3))
