-- / always gives a float; fractional results print alike.
print("div", 7 / 2, 1 / 4, -9 / 4)
print("frac", 10 / 4 * 2 == 5)
print("third", string.format("%.5f", 1 / 3))
