-- Empty pattern matches and init past the end.
print("e1", ("abc"):find(""))
print("e2", ("abc"):find("", 3))
print("e3", ("abc"):find("", 4))
print("e4", ("abc"):find("", 5))
print("e5", ("abc"):find("", -10))
print("e6", (""):find(""))
