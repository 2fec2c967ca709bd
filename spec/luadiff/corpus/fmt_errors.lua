-- Invalid conversions and options.
print("conv", pcall(string.format, "%y", 1))
print("width", pcall(string.format, "%123d", 1))
print("type", pcall(string.format, "%d", "x"))
print("type2", pcall(string.format, "%x", {}))
