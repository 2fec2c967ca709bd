-- math.tointeger, math.type and integer conversions of strings.
print("toint", math.tointeger(3), math.tointeger("x"), math.tointeger(2^31))
print("floor", math.floor(-0.5), math.ceil(-0.5) == 0)
print("abs", math.abs(-2^31) == 2^31)
print("type", math.type(10 // 3), math.type(2^31 | 0))
