-- <close> variables: __close(value, err) on every exit, in reverse order.
local log = {}
local function res(name)
  return setmetatable({name = name}, {__close = function(self, err)
    if type(err) == "table" then err = "table error " .. tostring(err.code) end
    print("close " .. self.name, err and (string.gsub(tostring(err), "^.-:%d+: ", "")) or err)
  end})
end

print("-- normal end of block")
do
  local a <close> = res("a")
  local b <close> = res("b")
  print("body")
end

print("-- nil and false are allowed")
do
  local n <close> = nil
  local f <close> = false
  print("no close for nil/false")
end

print("-- return (values evaluated before closing)")
local function ret()
  local r <close> = res("r")
  local x = 10
  return (function() print("evaluating return"); return x, x + 1 end)()
end
print(ret())

print("-- return of a tail call and of nothing")
local function tail() local t <close> = res("t"); return select("#", ret()) end
print(tail())
local function nothing() local z <close> = res("z"); return end
print(select("#", nothing()))

print("-- break")
for i = 1, 3 do
  local c <close> = res("loop" .. i)
  if i == 2 then break end
  print("iteration", i)
end

print("-- while and repeat")
local i = 0
while true do
  i = i + 1
  local w <close> = res("w" .. i)
  if i >= 2 then break end
end
local j = 0
repeat
  j = j + 1
  local r <close> = res("rep" .. j)
  local done = j == 2
until done

print("-- goto out of the scope")
do
  local k = 0
  ::again::
  k = k + 1
  do
    local g <close> = res("g" .. k)
    if k < 3 then goto again end
  end
end
for n = 1, 3 do
  local c <close> = res("cont" .. n)
  if n % 2 == 1 then goto continue end
  print("even", n)
  ::continue::
end

print("-- error")
local ok, err = pcall(function()
  local e1 <close> = res("e1")
  local e2 <close> = res("e2")
  error("boom")
end)
print(ok, (string.gsub(err, "^.-:%d+: ", "")))
local ok2, obj = pcall(function()
  local e3 <close> = res("e3")
  error({code = 42})
end)
print(ok2, type(obj), obj.code)

print("-- error inside __close replaces the error")
local ok3, err3 = pcall(function()
  local bad <close> = setmetatable({}, {__close = function() error("in close", 0) end})
  error("original", 0)
end)
print(ok3, err3)
local ok4, err4 = pcall(function()
  local bad <close> = setmetatable({}, {__close = function() error("close on normal exit", 0) end})
  return 1
end)
print(ok4, err4)

print("-- nested functions and blocks")
local function outer()
  local o <close> = res("outer")
  local function inner()
    local n <close> = res("inner")
    return "inner result"
  end
  local v = inner()
  do
    local d <close> = res("do")
    for q = 1, 2 do
      local f <close> = res("for" .. q)
      if q == 2 then return v, q end
    end
  end
  return "not reached"
end
print(outer())

print("-- varargs and upvalues in the scope")
local function va(...)
  local c <close> = res("va")
  local count = select("#", ...)
  local function get() return count end
  count = count + 1
  return get(), ...
end
print(va("x", "y"))

print("-- non-closable value")
print(pcall(function() local x <close> = {} end))
print(pcall(function() local y <close> = 42 end))
print(load("local a <close>, b <close> = 1, 2"))

print("-- closed in generic for body, in order")
for _, name in ipairs({"p", "q"}) do
  local a1 <close> = res(name .. "1")
  local a2 <close> = res(name .. "2")
end
print("done")
