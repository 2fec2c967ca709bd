-- string.find with plain flag, init and anchors.
local s = "hello world, hello lua"
print("find", s:find("hello"))
print("init", s:find("hello", 2))
print("plain", s:find("o, h", 1, true))
print("dot", ("a.b"):find(".", 1, true), ("a.b"):find("%."))
print("neg", s:find("lua", -5))
print("anchor", s:find("^world"), s:find("^hello"))
print("miss", s:find("xyz"))
