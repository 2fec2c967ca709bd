-- table.sort with Lua 5.4's semantics: #t, metamethods, errors.

-- A table that shrank sorts only t[1..#t].
local t = {3, 1, 2}
table.remove(t)
table.sort(t)
print("shrunk", #t, t[1], t[2], t[3])
local u = {5, 1, 4, 9}
u[#u] = nil
table.sort(u)
print("shrunk2", table.concat(u, ","))

-- Default order: numbers, strings, __lt (also between different types).
local n = {5, -2, 9.5, 1, 0, -7, 3}
table.sort(n)
print("nums", table.concat(n, ","))
local s = {"pear", "apple", "fig", "Banana", "", "a\0b", "a"}
table.sort(s)
for i = 1, #s do s[i] = string.format("%q", s[i]) end
print("strs", table.concat(s, ","))
local V = {}
V.__lt = function(a, b)
  local x = type(a) == "table" and a.v or a
  local y = type(b) == "table" and b.v or b
  return x < y
end
local objs = {setmetatable({v = 3}, V), 10, setmetatable({v = 1}, V), setmetatable({v = 20}, V)}
table.sort(objs)
for i = 1, #objs do objs[i] = type(objs[i]) == "table" and "o" .. objs[i].v or tostring(objs[i]) end
print("lt", table.concat(objs, ","))

-- Comparator is called with (a, b).
local seen = 0
local c = {4, 3, 2, 1}
table.sort(c, function(a, b)
  assert(type(a) == "number" and type(b) == "number")
  seen = seen + 1
  return a > b
end)
print("desc", table.concat(c, ","), seen > 0)

-- __index/__newindex/__len: a proxy sorts its backing store.
local store = {30, 10, 20, 50, 40}
local reads, writes = 0, 0
local proxy = setmetatable({}, {
  __len = function() return #store end,
  __index = function(_, k) reads = reads + 1 return store[k] end,
  __newindex = function(_, k, v) writes = writes + 1 store[k] = v end,
})
table.sort(proxy)
print("proxy", table.concat(store, ","), reads > 0, writes > 0, rawget(proxy, 1))
-- __len shorter than the table: only the prefix is sorted.
local part = setmetatable({9, 8, 7, 1}, {__len = function() return 3 end})
table.sort(part)
print("prefix", part[1], part[2], part[3], part[4])

-- Errors.
print("mixed", pcall(table.sort, {1, "x", 2}))
print("nil", pcall(table.sort, setmetatable({1}, {__len = function() return 2 end})))
print("tables", pcall(table.sort, {{}, {}}))
print("named", pcall(table.sort, {setmetatable({}, {__name = "Point"}), setmetatable({}, {__name = "Point"})}))
print("named2", pcall(table.sort, {setmetatable({}, {__name = "Point"}), 1}))
print("bools", pcall(table.sort, {true, false}))
print("badcmp", pcall(table.sort, {3, 1, 2}, 42))
print("badcmp1", pcall(table.sort, {3}, 42))
print("badcmp0", pcall(table.sort, {}, "x"))
print("notab", pcall(table.sort, 42))
print("nolen", pcall(table.sort, setmetatable({}, {__index = function() end})))
local big = setmetatable({}, {__len = function() return 2^31 end})
print("big", pcall(table.sort, big))
print("big2", pcall(table.sort, setmetatable({}, {__len = function() return 2^31 - 2 end}), function() error("called", 0) end))
print("cmperr", pcall(table.sort, {3, 1, 2}, function() error("cmp", 0) end))
local e = {}
print("cmperrobj", select(2, pcall(table.sort, {3, 1, 2}, function() error(e) end)) == e)
print("always", pcall(table.sort, {1, 2, 3, 4, 5}, function() return true end))
local ok, msg = pcall(function() table.sort({5, 4, 3, 2, 1}, function(a, b) return true end) end)
print("always2", ok, (string.gsub(msg, "^[^:]*:%d+: ", "POS: ")))
local bad = {}
for i = 1, 200 do bad[i] = (i * 37) % 200 end
print("random", pcall(table.sort, bad, function(a, b) return a <= b end))

-- Larger sorts with unique keys give a fixed result.
local function lcg(seed, count, mod)
  local r, x = {}, seed
  for i = 1, count do x = (x * 16807) % 2147483647 r[i] = x % mod end
  return r
end
local function check(a, cmp)
  for i = 2, #a do if cmp(a[i], a[i - 1]) then return false end end
  return true
end
local big1 = {}
for i = 1, 1000 do big1[i] = (i * 7919) % 1000 end
table.sort(big1)
print("big1", check(big1, function(a, b) return a < b end), big1[1], big1[500], big1[1000])
local big2 = lcg(42, 2000, 1000000)
table.sort(big2, function(a, b) return a > b end)
print("big2", check(big2, function(a, b) return a > b end), big2[1], big2[1000], big2[2000])
local strs = {}
for i = 1, 500 do strs[i] = string.format("k%05d", (i * 313) % 500) end
table.sort(strs)
print("bigstr", strs[1], strs[250], strs[500])
-- Sorted and reverse-sorted inputs (a pivot that stays unbalanced).
local asc, desc = {}, {}
for i = 1, 3000 do asc[i] = i desc[i] = 3001 - i end
table.sort(asc) table.sort(desc)
print("asc", check(asc, function(a, b) return a < b end), asc[1], asc[3000])
print("desc2", check(desc, function(a, b) return a < b end), desc[1], desc[3000])
-- Many equal keys.
local eq = {}
for i = 1, 1000 do eq[i] = i % 3 end
table.sort(eq)
print("equal", check(eq, function(a, b) return a < b end), eq[1], eq[334], eq[1000])
