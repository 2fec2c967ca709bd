-- Strings index the string table; methods via colon syntax.
local s = "Hello"
print("upper", s:upper(), s:lower(), s:len())
print("sub", ("abcdef"):sub(2, 4), s:byte(1))
print("rep", s:rep(2))
print("idx", ("x").len == string.len)
