-- Assignments to the free _ENV (the chunk's _ENV upvalue in Lua 5.4)
local print, setmetatable, pcall, load, _G = print, setmetatable, pcall, load, _G
x = "outer"
local function getx() return x end
local saved = _ENV
_ENV = setmetatable({x = "inner"}, {__index = _G})
print(x, getx())
y = 1
print(saved.y, y, _ENV.y)
local function swap(t) _ENV = t end
swap(saved)
print(x, getx(), y)
function _ENV.hello() return "hi" end
print(hello(), saved.hello == hello)
-- a sandbox: globals of a loaded chunk go to the table given to load
local box = {print = print}
local f = load("_ENV = setmetatable({}, {__index = _ENV}) z = 5 return _ENV", "=box", "t", {setmetatable = setmetatable, print = print})
local inner = f()
print(inner.z, z)
-- a function that only reads _ENV keeps seeing the current one
local function env() return _ENV end
_ENV = box
print(env() == box)
_ENV = saved
print(env() == saved, _ENV == _G)
-- _ENV set to nil makes free names fail
print((pcall(function() local _ENV = nil; return q end)))
