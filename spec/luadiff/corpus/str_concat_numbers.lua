-- Concatenation of numbers and strings.
print("cat", 1 .. "", "x" .. 2, 3 .. 4)
print("float", 0.5 .. "", -1.25 .. "!")
print("neg", -3 .. "")
print("err", pcall(function() return "a" .. nil end))
print("bool", pcall(function() return "a" .. true end))
