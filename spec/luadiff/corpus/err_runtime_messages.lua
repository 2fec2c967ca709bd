-- Messages of runtime errors without variable names.
print("arith", pcall(function() return {} + 1 end))
print("concat", pcall(function() return {} .. "x" end))
print("call", pcall(function() local t = {} return t.x.y end))
print("compare", pcall(function() return {} < {} end))
print("cmpmix", pcall(function() return 1 < "x" end))
print("len", pcall(function() return #5 end))
