-- Numbers and strings never compare equal.
print("eq", 1 == "1", "1" == 1)
print("tbl", ({[1] = "int"})["1"], ({["1"] = "str"})[1])
print("key", ({[2] = "two"})[2.0])
