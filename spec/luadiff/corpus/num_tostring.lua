-- pending: tostring uses 17 digits, not %.14g (issue 12)
-- tostring of numbers.
print("ints", tostring(0), tostring(-5), tostring(123456789))
print("fracs", tostring(0.5), tostring(-2.25), tostring(1e-3))
print("third", tostring(1/3))
print("big", tostring(1e15), tostring(1e100))
print("inf", tostring(1/0), tostring(-1/0))
print("nan", tostring(0/0) == tostring(0/0))
