-- math.fmod and math.modf.
print("fmod", math.fmod(7, 3), math.fmod(-7, 3), math.fmod(7, -3))
print("fmodf", math.fmod(7.5, 2))
print("modf", math.modf(3.75))
print("modfneg", math.modf(-2.5))
print("fmod0", pcall(math.fmod, 1, 0))
