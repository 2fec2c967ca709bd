-- utf8 argument errors.
print("char", pcall(utf8.char, -1))
print("offset", pcall(utf8.offset, "abc", 1, 10))
print("codepoint", pcall(utf8.codepoint, "abc", 4))
print("cont", pcall(utf8.offset, "\u{20AC}", 1, 2))
