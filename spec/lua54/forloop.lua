-- Numeric for: operands checked and the iteration count fixed at entry
local function run(f)
  local ok, e = pcall(f)
  if not ok then print("error", e) end
end
local function collect(a, b, c)
  local t = {}
  if c then
    for i = a, b, c do t[#t + 1] = i if #t > 20 then break end end
  else
    for i = a, b do t[#t + 1] = i if #t > 20 then break end end
  end
  for k = 1, #t do t[k] = string.format("%d", t[k]) end
  print(table.concat(t, " "))
end
local one, three, zero = 1, 3, 0
-- (this runner has no lua54lib: these are its values of the two constants)
local maxint = math.maxinteger or 0x7ffffffffffffc00
local minint = math.mininteger or 0x8000000000000000
collect(one, three)
collect(three, one, -1)
collect(one, 10, 3)
collect(10, one, -3)
collect(one, 2.5)
collect(-one, -2.5, -1)
collect(one, 0)
collect(one, three, maxint)
collect(-one, -three, minint)
-- these would pass 2^53 within 2^32 steps: golua-ws refuses them at entry
run(function() collect(one, math.huge, 1 << 40) end)
run(function() collect(zero, -math.huge, -(1 << 40)) end)
collect(one, 0 / 0)
collect(one, -math.huge)
collect(-one, math.huge, -1)
-- loops to math.maxinteger / from 0 down to math.mininteger that break
local n = 0
for i = one, maxint do n = n + 1 if i == 5 then break end end
print(n)
n = 0
for i = zero, minint, -1 do n = n + 1 if i == -4 then break end end
print(n)
n = 0
for i = one, math.huge do n = n + 1 if n == 7 then break end end
print(n)
-- errors, with Lua 5.4.4's messages
run(function() for i = one, three, zero do end end)
run(function() for i = 1.5, 2, 0 do end end)
run(function() for i = {}, three do end end)
run(function() for i = one, {} do end end)
run(function() for i = one, three, {} do end end)
run(function() for i = one, "x" do end end)
run(function() for i = "y", 2 do end end)
run(function() for i = one, three, nil do end end)
-- the loop variable is a copy; changing it does not change the count
n = 0
for i = one, 5 do i = i * 10 n = n + 1 end
print(n)
-- float loops
local t = {}
for i = 0.5, 2, one do t[#t + 1] = string.format("%g", i) end
for i = one, 2, 0.5 do t[#t + 1] = string.format("%g", i) end
print(table.concat(t, " "))
local inf = 1 / 0
t = {}
for i = one, 10, inf do t[#t + 1] = string.format("%g", i) end
for i = one, -10, -inf do t[#t + 1] = string.format("%g", i) end
for i = one, -10, inf do t[#t + 1] = string.format("%g", i) end
print(table.concat(t, " "))
-- gopher-lua's loop would start at 0.1-0.7+0.7 = 0.09999999999999998
run(function()
  t = {}
  for i = 0.1, 1, 0.7 do t[#t + 1] = string.format("%.17g", i) end
  print(table.concat(t, " "))
end)
