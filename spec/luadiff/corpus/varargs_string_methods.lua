-- Varargs into string.format and string.char.
local function fmt(...) return string.format(...) end
print("fmt", fmt("%s-%s-%d", "a", "b", 3))
print("char", string.char(72, 105, 33))
print("byte", string.byte("Lua", 1, -1))
print("rep", ("ab"):rep(3, "|"))
