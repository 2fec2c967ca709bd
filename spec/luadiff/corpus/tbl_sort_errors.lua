-- table.sort errors: mixed types and bad comparator results.
print("mixed", pcall(table.sort, {1, "x", 2}))
print("badcmp", pcall(table.sort, {3, 1, 2}, 42))
local t = {3, 1, 2}
print("cmperr", pcall(table.sort, t, function() error("cmp", 0) end))
