-- math.maxinteger and mininteger relations that hold on both.
print("minint", math.mininteger)
print("minlt", math.mininteger < 0, math.maxinteger > 0)
print("bits", math.mininteger == 1 << 63)
