-- Documented float64 differences: integral floats print and type as
-- integers on golua-ws (docs/lua-compat.md).
print("one", 1.0, 3 / 1, 2^3)
print("type", math.type(1.0), math.type(2^53))
print("calc", 10 / 2, 7.5 + 0.5)
print("big", tostring(1e15))
