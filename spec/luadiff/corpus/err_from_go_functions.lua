-- Errors raised by library (Go) functions.
print("rep", pcall(string.rep))
print("sub", pcall(string.sub))
print("char", pcall(string.char, 256))
print("concat", pcall(table.concat, {1, {}, 3}))
print("insert", pcall(table.insert, {}, 1, 2, 3))
print("setmeta", pcall(setmetatable, 1, {}))
print("ipairs", pcall(ipairs))
