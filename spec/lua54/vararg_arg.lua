-- Lua 5.4 has no implicit "arg" table in vararg functions: "arg" is a global
arg = nil
local function f(...) return arg end
print(f(1, 2))
local function g(...) local n = select('#', ...) return arg, n end
print(g(1, 2, 3))
arg = "global arg"
print(f(1), (g()))
local function h(...)
  local function inner() return arg end
  return inner()
end
print(h(1))
local function set(...) arg = ... end
set("set inside")
print(arg)
local function withlocal(...) local arg = {...} return #arg end
print(withlocal(1, 2))
local function closed(...)
  local t <close> = setmetatable({}, {__close = function() end})
  return arg, ...
end
print(closed("v"))
local t = {}
function t.m(...) return arg end
print(t.m())
