-- Strings coerce to numbers in arithmetic but not in bitwise ops.
print("add", "10" + 5, "3" * "4", 10 - "2")
print("hex", "0x10" + 0)
print("float", "1.5" + 1)
print("exp", "1e2" + 0)
print("space", " 7 " + 1)
print("bad", pcall(function() return "abc" + 1 end))
print("concat", 1 .. "", 1.5 .. "|")
