-- tonumber with a base.
print("b2", tonumber("1010", 2), tonumber("777", 8), tonumber("ff", 16))
print("b36", tonumber("zz", 36), tonumber("Zz", 36))
print("bad", tonumber("8", 8), tonumber("1.5", 10), tonumber("", 10))
print("space", tonumber(" 11 ", 2))
print("neg", tonumber("-ff", 16))
print("err", pcall(tonumber, "1", 1), pcall(tonumber, "1", 37))
