-- table.sort of records by key with unique keys.
local recs = {}
for i = 1, 20 do recs[i] = {k = (i * 7) % 20, v = i} end
table.sort(recs, function(x, y) return x.k < y.k end)
local out = {}
for i = 1, 20 do out[i] = recs[i].k .. ":" .. recs[i].v end
print("sorted", table.concat(out, " "))
