-- table.sort of a table that shrank (table.remove, t[#t] = nil).
local t = {3, 1, 2}
table.remove(t)
table.remove(t)
print("len", #t)
print("sort", pcall(table.sort, t))
local u = {5, 1, 4}
u[#u] = nil
print("sort2", pcall(table.sort, u))
print("u", table.concat(u, ","))
local w = {9, 8, 7, 6}
table.remove(w, 1)
table.sort(w)
print("w", table.concat(w, ","))
