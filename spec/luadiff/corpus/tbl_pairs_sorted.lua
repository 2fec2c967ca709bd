-- pairs over a hash table, with keys sorted for determinism.
local t = {apple = 1, banana = 2, cherry = 3, [10] = "ten", [1] = "one"}
local keys = {}
for k in pairs(t) do keys[#keys + 1] = tostring(k) end
table.sort(keys)
print("keys", table.concat(keys, " "))
local sum = 0
for _, v in pairs({5, 6, 7}) do sum = sum + v end
print("sum", sum)
