-- __index functions receiving numeric keys and rawequal in them.
local base = {}
local t = setmetatable({}, {__index = function(self, k)
  if type(k) == "number" then return k * k end
  return rawequal(self, base) and "base" or "other"
end})
print("num", t[3], t[-4], t[0])
print("str", t.name)
