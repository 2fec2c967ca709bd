-- table.pack / unpack / move / insert / remove / concat (Lua 5.4 semantics).
local function E(f, ...)
  local ok, err = pcall(f, ...)
  print(ok, (string.gsub(tostring(err), "^[^:]*:%d+: ", "")))
end
local function L(t, n)
  local out = {}
  for i = 1, n or #t do out[#out + 1] = tostring(t[i]) end
  return table.concat(out, ",")
end

-- pack sets n, keeps nils
local p = table.pack(1, nil, 3, nil)
print("pack", p.n, p[1], p[2], p[3], p[4])
print("pack0", table.pack().n, next(table.pack(), nil))

-- unpack with i, j
print("unpack", table.unpack({1, 2, 3}))
print("unpack", table.unpack({1, 2, 3}, 2))
print("unpack", table.unpack({1, 2, 3}, 2, 3))
print("unpack", table.unpack({1, 2, 3}, -1, 1))
print("unpack", select("#", table.unpack({1, 2, 3}, 3, 2)))
print("unpack", table.unpack({1, nil, 3}, 1, 3))
print("unpack", table.unpack({"a", "b"}, "1", "2"))
local proxy = setmetatable({}, {__index = function(_, k) return k * 10 end, __len = function() return 3 end})
print("unpack meta", table.unpack(proxy))
E(function() return table.unpack({}, 1, 1e7) end)
E(function() return table.unpack({}, 1.5) end)
E(function() return table.unpack({}, 1, "x") end)

-- move
local a = {1, 2, 3, 4, 5}
table.move(a, 1, 3, 3)
print("move overlap up", L(a))
a = {1, 2, 3, 4, 5}
table.move(a, 2, 5, 1)
print("move overlap down", L(a))
a = {1, 2, 3}
local b = table.move(a, 1, 3, 2, {})
print("move other", L(b, 4))
print("move returns dest", table.move({1}, 1, 1, 1, b) == b, table.move(a, 1, 0, 5) == a)
a = {1, 2, 3}
table.move(a, 1, 3, -1)
print("move negative", a[-1], a[0], a[1], a[2], a[3])
local log = {}
local src = setmetatable({}, {__index = function(_, k) log[#log + 1] = "get" .. k; return k end})
local dst = setmetatable({}, {__newindex = function(t, k, v) log[#log + 1] = "set" .. k .. "=" .. v; rawset(t, k, v) end})
table.move(src, 1, 3, 1, dst)
print("move meta", table.concat(log, " "))
E(function() return table.move({}, 1, 2) end)
E(function() return table.move(1, 1, 2, 3) end)
E(function() return table.move({}, 1, 2, 3, 4) end)
E(function() return table.move({}, 1.5, 2, 3) end)
E(function() return table.move({}, -1, math.maxinteger, 1) end)
E(function() return table.move({}, 1, math.maxinteger, 2) end)

-- insert / remove
local t = {}
table.insert(t, "a")
table.insert(t, 1, "b")
table.insert(t, 3, "c")
print("insert", L(t))
E(function() table.insert(t, 5, "x") end)
E(function() table.insert(t, 0, "x") end)
E(function() table.insert(t, 1, 2, 3) end)
E(function() table.insert(t) end)
E(function() table.insert(nil, 1) end)
E(function() table.insert(t, 1.5, 1) end)
print("remove", table.remove(t), L(t))
print("remove", table.remove(t, 1), L(t))
print("remove", table.remove({}), table.remove({}, 0), table.remove({}, 1))
print("remove", table.remove({1, 2}, 3))
E(function() table.remove({1, 2}, 4) end)
E(function() table.remove({1, 2}, -1) end)
E(function() table.remove({}, 2) end)
local n = 0
local m = setmetatable({}, {__len = function() return 2 end,
  __index = function(_, k) return "v" .. k end,
  __newindex = function(_, k, v) n = n + 1 end})
print("remove meta", table.remove(m, 1), n)

-- concat
print("concat", table.concat({1, 2, 3}), table.concat({"a", "b"}, ", "), table.concat({1, 2, 3}, "-", 2, 3))
print("concat", table.concat({}, "x"), table.concat({1, 2}, "x", 3), table.concat({1, 2, 3}, "", 3, 3))
E(function() return table.concat({1, 2, 3}, ",", 2, 5) end)
E(function() return table.concat({1, {}, 3}) end)
E(function() return table.concat({1, 2}, {}) end)
print("concat meta", table.concat(setmetatable({}, {__len = function() return 2 end, __index = function(_, k) return "x" .. k end})))
