-- Closures created before a break keep their values.
local fs = {}
for i = 1, 10 do
  local v = i * 3
  fs[#fs + 1] = function() return v end
  if i == 4 then break end
end
print("count", #fs)
print("vals", fs[1](), fs[2](), fs[3](), fs[4]())
