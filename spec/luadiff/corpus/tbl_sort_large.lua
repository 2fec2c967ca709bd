-- Sorting a larger deterministic sequence.
local t, x = {}, 7
for i = 1, 500 do x = (x * 75 + 74) % 65537; t[i] = x % 1000 end
table.sort(t)
local ok = true
for i = 2, #t do if t[i - 1] > t[i] then ok = false end end
print("sorted", ok, t[1], t[250], t[500])
