-- A numeric for that starts beyond 2^53 is an error at entry in golua-ws (docs/lua-compat.md, front-end).
print("max", pcall(function() local n = 0 for i = math.maxinteger - 2, math.maxinteger do n = n + 1 end return n end))
print("min", pcall(function() local n = 0 for i = math.mininteger, math.mininteger + 2 do n = n + 1 end return n end))
