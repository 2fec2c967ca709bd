-- Only files skip a first line starting with '#'; load of a string does not.
print(load("#=1", "=s"))
print(load("# comment\nreturn 1", "=s"))
print(load("return 1 # 2"))
local f = load("return '#'")
print(f())
