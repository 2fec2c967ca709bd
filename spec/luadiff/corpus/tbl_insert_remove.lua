-- table.insert and table.remove at ends and in the middle.
local t = {"a", "b", "c"}
table.insert(t, "d")
table.insert(t, 1, "z")
table.insert(t, 3, "m")
print("ins", table.concat(t, ","))
print("rem", table.remove(t), table.remove(t, 1), table.remove(t, 2))
print("left", table.concat(t, ","), #t)
local e = {}
print("empty", table.remove(e), #e)
print("pos", pcall(table.insert, {1, 2}, 5, "x"))
print("rem0", table.remove({}, 0))
