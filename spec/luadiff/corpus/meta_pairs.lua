-- __pairs supplies the iterator for pairs.
local t = setmetatable({}, {__pairs = function(self)
  local i = 0
  return function()
    i = i + 1
    if i <= 3 then return i, i * i end
  end, self, nil
end})
local out = {}
for k, v in pairs(t) do out[#out + 1] = k .. "=" .. v end
print("pairs", table.concat(out, " "))
