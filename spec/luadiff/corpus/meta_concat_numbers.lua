-- __concat with numbers on the other side and chains.
local mt = {}
mt.__concat = function(a, b)
  local av = type(a) == "table" and "<" .. a.n .. ">" or a
  local bv = type(b) == "table" and "<" .. b.n .. ">" or b
  return av .. bv
end
local o = setmetatable({n = 1}, mt)
print("num", o .. 2, 3 .. o)
print("chain", 1 .. 2 .. o .. 4)
