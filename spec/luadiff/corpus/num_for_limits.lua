-- pending: a loop to math.maxinteger does not terminate (issue 12 item 4)
-- Loops near the integer limits terminate.
local n = 0
for i = math.maxinteger - 2, math.maxinteger do n = n + 1 end
print("max", n > 0 and n <= 3)
n = 0
for i = math.mininteger, math.mininteger + 2 do n = n + 1 end
print("min", n)
n = 0
for i = 1, 0 do n = n + 1 end
print("empty", n)
