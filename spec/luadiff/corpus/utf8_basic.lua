-- utf8.char, len, codepoint.
local s = utf8.char(72, 228, 8364, 128512)
print("len", #s, utf8.len(s))
print("cps", utf8.codepoint(s, 1, -1))
print("char", utf8.char(0x48, 0x49))
print("pattern", utf8.charpattern)
print("empty", utf8.len(""))
