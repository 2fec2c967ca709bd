-- Each iteration of a numeric for has a fresh control variable.
local fs = {}
for i = 1, 5 do
  fs[#fs + 1] = function() return i end
end
local out = {}
for k = 1, #fs do out[k] = fs[k]() end
print("numeric", table.concat(out, ","))
local gs = {}
for _, v in ipairs({"x", "y", "z"}) do
  gs[#gs + 1] = function() return v end
end
print("generic", gs[1](), gs[2](), gs[3]())
