-- Table constructors: mixed, nested, trailing separators.
local t = {1, 2, x = "x", [3 + 1] = "four", 3; "semi", y = {z = "deep"},}
print("arr", t[1], t[2], t[3], t[4])
print("hash", t.x, t.y.z)
print("len", #{n = 1}, #{1, 2, nil})
local k = "dyn"
print("dyn", ({[k .. "amic"] = true}).dynamic)
