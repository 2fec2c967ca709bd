-- %x and %o of negative integers are two's complement.
print("x", string.format("%x", -1))
print("X", string.format("%X", -256))
print("o", string.format("%o", -8))
print("d", string.format("%d", math.mininteger))
print("big", string.format("%x", 1 << 40))
