-- type() on each type, select('#') on calls.
local values = {1, "s", true, {}, print}
for i = 1, #values do print("t" .. i, type(values[i])) end
print("nilt", type(nil))
print("err", pcall(type))
