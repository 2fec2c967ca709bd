-- Comparisons on mixed types with metamethods.
local mt = {__lt = function(a, b)
  local x = type(a) == "table" and a.v or a
  local y = type(b) == "table" and b.v or b
  return x < y
end, __le = function(a, b)
  local x = type(a) == "table" and a.v or a
  local y = type(b) == "table" and b.v or b
  return x <= y
end}
local o = setmetatable({v = 5}, mt)
print("mixed", o < 6, 4 < o, o <= 5, 5 >= o, o > 10)
