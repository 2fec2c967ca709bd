-- Tables indexed by computed integers.
local t = {}
for i = 1, 10 do t[i * 2] = i end
print("get", t[2], t[20], t[3])
print("computed", t[10 // 5], t[4 / 2])
