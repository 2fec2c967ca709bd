-- Integer arithmetic producing integers.
local a, b = 123456, 789
print("add", a + b, a - b, a * b)
print("pow", 2 ^ 10 == 1024, 3 * 3 * 3)
print("neg", -a, -(-b))
print("prec", 2 + 3 * 4, (2 + 3) * 4, 2 - 3 - 4, 2 ^ 3 ^ 2)
print("unary", - 2 ^ 2, not nil == true)
print("cat", 1 .. 2, 10 .. "")
