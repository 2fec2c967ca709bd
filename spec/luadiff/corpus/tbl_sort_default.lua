-- table.sort with the default order on numbers and strings.
local n = {5, 2, 9, 1, 5, 6, -3}
table.sort(n)
print("nums", table.concat(n, ","))
local s = {"pear", "apple", "fig", "Banana", "apple"}
table.sort(s)
print("strs", table.concat(s, ","))
local e = {}
table.sort(e)
print("empty", #e)
