-- Comparisons with __lt and __le metamethods.
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
-- Between two tables 5.4 and golua-ws agree; a table and a number is a
-- documented difference (gopher-lua's VM compares only values of one type).
local p = setmetatable({v = 6}, mt)
print("tables", o < p, p < o, o <= p, p >= o, o > p)
print("mixed", pcall(function() return o < 6, 4 < o, o <= 5, 5 >= o, o > 10 end))
