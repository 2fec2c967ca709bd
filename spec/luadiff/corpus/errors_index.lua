-- Indexing nil names the variable in 5.4.
print("local", pcall(function() local x; return x.y end))
print("global", pcall(function() return undefinedtable.y end))
print("field", pcall(function() local t = {} return t.a.b end))
print("upval", pcall(function() local u; return (function() return u.k end)() end))
