-- table.move within and between tables.
local a = {1, 2, 3, 4, 5}
table.move(a, 2, 4, 1)
print("left", table.concat(a, ","))
local b = {1, 2, 3, 4, 5}
table.move(b, 1, 3, 3)
print("right", table.concat(b, ","))
local c = table.move({7, 8, 9}, 1, 3, 2, {"x"})
print("other", table.concat(c, ","))
print("empty", #table.move({}, 1, 0, 1, {}))
