-- for loop argument errors.
print("init", pcall(function() for i = "a", 2 do end end))
print("limit", pcall(function() for i = 1, {} do end end))
print("step", pcall(function() for i = 1, 2, nil do end end))
