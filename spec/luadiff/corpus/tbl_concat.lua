-- table.concat with separators and ranges.
local t = {1, "two", 3, "four"}
print("all", table.concat(t))
print("sep", table.concat(t, ", "))
print("range", table.concat(t, "-", 2, 3))
print("emptyrange", "[" .. table.concat(t, "-", 3, 2) .. "]")
print("floats", table.concat({1.5, 2.25}, " "))
print("bad", pcall(table.concat, {1, nil, 3}, ",", 1, 3))
