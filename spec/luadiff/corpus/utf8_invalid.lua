-- Invalid sequences.
print("len", utf8.len("ab\255cd"))
print("len2", utf8.len("\xC3"))
print("cp", pcall(utf8.codepoint, "\255"))
print("codes", pcall(function() for _ in utf8.codes("a\255") do end end))
print("range", utf8.len("héllo", 3))
print("lax", utf8.len("\xF4\x90\x80\x80", 1, -1, true), utf8.len("\xF4\x90\x80\x80"))
