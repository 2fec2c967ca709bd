-- Base functions with 5.4's rules: _VERSION, pairs/__pairs, next, ipairs,
-- select, the raw functions, type, assert, get/setmetatable.
local function try(...)
  local r = {pcall(...)}
  for i = 1, #r do r[i] = tostring(r[i]) end
  print(table.concat(r, "\t"))
end
print(_VERSION)
local proxy = setmetatable({}, {__pairs = function(t)
  return function(_, k) if not k then return 1, "one" elseif k == 1 then return 2, "two" end end, t, nil
end})
for k, v in pairs(proxy) do print("pairs", k, v) end
local n = 0
for i, v in ipairs({1, 2, nil, 4}) do n = n + 1 end
print("ipairs stops at nil", n)
local virt = setmetatable({}, {__index = function(t, i) if i <= 3 then return i * 10 end end})
for i, v in ipairs(virt) do print("ipairs __index", i, v) end
local part = setmetatable({1}, {__index = {nil, 2, 3}})
for i, v in ipairs(part) do print("ipairs mixed", i, v) end
try(next, {}, "nope")
try(next, {a = 1}, "nope")
try(next, {1, 2}, 5)
print(next({}), next({}, nil))
local t = {a = 1, b = 2, c = 3, 10, 20}
local cleared = 0
for k in pairs(t) do t[k] = nil cleared = cleared + 1 end
print("cleared while traversing", cleared, next(t))
try(next)
try(pairs)
try(ipairs)
print(select('#'), select('#', nil, nil), select(-1, 1, 2, 3), select(2, "a", "b", "c"))
try(select, 0, 1)
try(select, -5, 1)
print(select(5, 1))
try(rawequal, 1)
try(rawequal)
print(rawequal(1, 1), rawequal("a", "a"), rawequal({}, {}), rawget({5}, 1), rawget({}, nil))
try(rawget, 1, 1)
try(rawget, {})
try(rawset, {}, nil, 1)
try(rawset, {}, 0/0, 1)
try(rawset, {}, 1)
try(rawset, 1)
print(rawlen({1, 2}), rawlen("abc"))
try(rawlen, 5)
try(type)
print(type(nil), type(print), type(2), type("x"))
try(assert)
try(assert, false)
try(assert, nil, "msg")
print(assert(1, 2, 3))
try(setmetatable, {}, 1)
try(setmetatable, 1, {})
try(setmetatable, {})
try(setmetatable, setmetatable({}, {__metatable = "locked"}), {})
print(getmetatable(setmetatable({}, {__metatable = "locked"})), getmetatable("").__index == string)
try(getmetatable)
-- Lua 5.1 functions that 5.4 no longer has
print(unpack, setfenv, getfenv, module, table.getn, table.maxn, string.gfind, math.mod)
-- assert raises at level 1: a string message gets the caller's position
print(pcall(function() assert(false) end))
print(pcall(function() assert(nil, "msg") end))
print(pcall(function() assert(false, 42) end))
print(select("#", pcall(function() assert(false, nil) end)))
