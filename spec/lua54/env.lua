-- _ENV
local print, setmetatable, pairs, tostring = print, setmetatable, pairs, tostring
x = "global x"
do
  local _ENV = {y = "field y"}
  z = 1                       -- assigns _ENV.z
  print(y, x, z)
  local function f() return y, z end
  print(f())
end
print(x, z)
local function withenv(_ENV)
  return a + b
end
print(withenv({a = 1, b = 2}))
local sandbox = setmetatable({}, {__index = _G})
do
  local _ENV = sandbox
  newglobal = "in sandbox"
  print(newglobal, rawget(_G, "newglobal"))
end
print(sandbox.newglobal)
print(_ENV == _G, _ENV.x, _ENV["x"])
_ENV.w = 5
print(w)
local t = {}
local function setter(_ENV, v) value = v end
setter(t, 42)
print(t.value)
do
  local _ENV <const> = {print = print, tostring = tostring}
  function fn() return "defined in env" end
  print(fn(), tostring(_ENV.fn ~= nil))
end
print(fn)
-- _ENV.name reaches the global even where a local of that name is visible
local w = "local w"
print(_ENV.w, w)
_ENV.w = 6
print(_ENV.w, w)
