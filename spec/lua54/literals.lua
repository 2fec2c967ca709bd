-- Literals: numbers and strings of Lua 5.4
print(0x10, 0xff, 0XA, 0x7fffffff, 0xffffffff)
print(0xffffffffffffffff, 0x8000000000000000 < 0)
print(1e2, 1E-2, 2.5e+3, .5, 5., 3.25, 0.1 + 0.2 == 0.3)
print(0x1p4, 0x.8, 0xA.8p1, 0x1P-2, 0x10p0)
print(100 // 1, 1e15, 123456789012)
-- escapes
print("a\tb", "q\"q", 'q\'q', "back\\slash")
print("\65\066\0677", "\x41\x62\x7A", "\u{48}\u{49}", #"\u{7FF}", #"\u{FFFF}", #"\u{10FFFF}", #"\u{7FFFFFFF}")
print("line1\
line2")
print("a\z
       b", "c\z   d")
print(#"\0abc", ("\0x"):byte(1, 2))
print([[
first newline skipped]], [==[with ]] inside]==])
--[[ long
comment ]] print("after long comment")
--[==[ another
]] still comment ]==] print("after level-2 comment")
print(("\a\b\f\n\r\t\v"):byte(1, -1))
local function check(src)
  local fn, err = load(src, "=src")
  print(fn and "compiled" or err)
end
check([[x = "\q"]])
check([[x = "\x4"]])
check([[x = "\300"]])
check([[x = "\u{110000000}"]])
check([[x = "\u48"]])
check([[x = "abc]])
check("x = 3x")
check("x = 0x")
check("x = 1e")
check("x = [==[ unfinished")
