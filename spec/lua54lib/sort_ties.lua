-- table.sort with 5.4's algorithm: same order for ties, same errors, metamethods
local function try(...)
  local r = {pcall(...)}
  for i = 1, #r do r[i] = tostring(r[i]) end
  print(table.concat(r, "\t"))
end
local function show(t) local r = {} for i = 1, #t do r[i] = tostring(t[i]) end print(table.concat(r, " ")) end
local t = {5, 2, 8, 1, 9, 3, 7, 4, 6, 0}
table.sort(t) show(t)
table.sort(t, function(a, b) return a > b end) show(t)
-- ties keep 5.4's arrangement
local recs = {}
for i = 1, 40 do recs[i] = {k = (i * 7) % 5, id = i} end
table.sort(recs, function(a, b) return a.k < b.k end)
local ids = {} for i = 1, #recs do ids[i] = recs[i].k .. ":" .. recs[i].id end print(table.concat(ids, " "))
local words = {"pear", "Apple", "fig", "banana", "apple", "Fig", "kiwi"}
table.sort(words) show(words)
local big = {} for i = 1, 300 do big[i] = (i * 7919) % 1000 end
table.sort(big)
local ok = true for i = 2, #big do if big[i - 1] > big[i] then ok = false end end print("big sorted", ok, big[1], big[300])
try(table.sort, {3, 1, "x"})
try(table.sort, {{}, {}})
try(table.sort, {1, 2, 3}, 1)
try(table.sort, {1, 2, 3, 4, 5}, function(a, b) return true end)
try(table.sort, 5)
local proxy = setmetatable({}, {__index = function(_, i) return ({3, 1, 2})[i] end, __newindex = function(t, i, v) rawset(t, i, v) end, __len = function() return 3 end})
table.sort(proxy) print(rawget(proxy, 1), rawget(proxy, 2), rawget(proxy, 3))
local e = {} table.sort(e) print(#e)
local one = {"x"} table.sort(one) print(one[1])
