-- Integer comparisons and equality across int/float.
print("lt", 1 < 2, 2 < 1, -3 < -2)
print("le", 2 <= 2, 3 <= 2)
print("eq", 1 == 1, 1 == 2, 2^53 == 2^53)
print("mixed", 3 == 3.0, 1 < 1.5, -1 > -1.5)
print("str", "10" < "9", "a" < "b", "" < "a")
print("strerr", pcall(function() return 1 < "2" end))
