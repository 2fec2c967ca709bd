-- %a hexadecimal floats.
print("a1", string.format("%a", 0.5))
print("a2", string.format("%a", 1.5))
print("a3", string.format("%A", 255.5))
print("a4", string.format("%.3a", 1/3))
print("a5", string.format("%a", -0.1))
