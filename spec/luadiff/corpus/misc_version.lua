-- _VERSION names Lua 5.4.
print("version", _VERSION)
