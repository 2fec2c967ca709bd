-- Float keys with integer values are normalised to integer keys.
local t = {}
t[1.0] = "a"
t[2] = "b"
print("get", t[1], t[2.0], #t)
t[2^53] = "big"
print("big", t[2^53])
