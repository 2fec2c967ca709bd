-- tostring of numbers.
print("ints", tostring(0), tostring(-5), tostring(123456789))
print("fracs", tostring(0.5), tostring(-2.25), tostring(1e-3))
print("third", tostring(1/3))
print("big", tostring(1e15 + 0.5), tostring(1e100), tostring(-1.5e300))
print("inf", tostring(1/0), tostring(-1/0))
print("nan", tostring(0/0) == tostring(0/0))
