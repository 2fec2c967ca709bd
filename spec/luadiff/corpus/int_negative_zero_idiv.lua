-- Floor division and modulo with negative operands near zero.
print("small", -1 // 3, 1 // -3, -1 % 3, 1 % -3)
print("exact", -6 // 3, 6 // -3, -6 % 3)
print("ones", -1 // 1, -1 % 1)
