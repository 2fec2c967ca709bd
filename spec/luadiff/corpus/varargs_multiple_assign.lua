-- Multiple assignment adjusts values to names.
local function three() return 1, 2, 3 end
local a, b, c, d = three()
print("four", a, b, c, d)
local x, y = three(), 10
print("mid", x, y)
local p, q, r = 0, three()
print("last", p, q, r)
local t = {}
t.a, t.b = three()
print("fields", t.a, t.b)
local i, j = 1, 2
i, j = j, i
print("swap", i, j)
