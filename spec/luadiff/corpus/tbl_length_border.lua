-- # of proper sequences.
print("seq", #{1, 2, 3}, #{}, #{"a"})
local t = {}
for i = 1, 100 do t[i] = i end
print("hundred", #t)
t[#t] = nil
print("pop", #t)
local s = "string"
print("str", #s, #"")
