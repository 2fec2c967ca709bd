-- A local declared inside a while body is fresh per iteration.
local fs = {}
local i = 0
while i < 4 do
  i = i + 1
  local j = i * 10
  fs[i] = function() j = j + 1; return j end
end
print("first", fs[1](), fs[1]())
print("others", fs[2](), fs[3](), fs[4]())
print("outer", i)
