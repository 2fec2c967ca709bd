-- Summing varargs of various lengths.
local function sum(...)
  local s = 0
  for i = 1, select("#", ...) do s = s + (select(i, ...)) end
  return s
end
print("s0", sum())
print("s1", sum(5))
print("s5", sum(1, 2, 3, 4, 5))
local big = {}
for i = 1, 200 do big[i] = i end
print("s200", sum(table.unpack(big)))
