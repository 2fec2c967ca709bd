-- math.type, tointeger, ult on clear-cut values.
print("type", math.type(1), math.type(1.5), math.type("1"), math.type(nil))
print("toint", math.tointeger(42), math.tointeger(4.5), math.tointeger("8"))
print("ult", math.ult(1, 2), math.ult(-1, 2), math.ult(2, -1))
print("abs", math.abs(-7), math.abs(7))
print("minmax", math.max(3, 9, -2), math.min(3, 9, -2))
print("fm", math.floor(3.7), math.ceil(3.2), math.floor(-3.5), math.ceil(-3.5))
