-- string.byte and string.char.
print("byte", ("ABC"):byte(), ("ABC"):byte(2), ("ABC"):byte(-1))
print("range", ("ABC"):byte(1, 3))
print("none", select("#", ("ABC"):byte(5)))
print("char", string.char(), string.char(97, 98))
print("all", #string.char(0, 255))
