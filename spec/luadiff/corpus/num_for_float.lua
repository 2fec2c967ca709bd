-- Float loops with exact binary steps.
local out = {}
for x = 0, 2, 0.25 do out[#out + 1] = x end
print("quarters", #out, out[2], out[4], out[6])
local n = 0
for x = 1, 0, -0.5 do n = n + 1 end
print("down", n)
