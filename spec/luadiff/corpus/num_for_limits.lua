-- Loops near the integer limits terminate; empty ranges run no iteration.
n = 0
for i = 1, 0 do n = n + 1 end
print("empty", n)
n = 0
for i = 2^53 - 3, 2^53 - 1 do n = n + 1 end
print("exact", n)
n = 0
for i = -2^53 + 1, -2^53 + 3 do n = n + 1 end
print("negexact", n)
