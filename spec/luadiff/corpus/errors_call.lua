-- Calling a non-function names the variable in 5.4.
print("global", pcall(function() nosuchfunction() end))
print("local", pcall(function() local f = 5; f() end))
print("field", pcall(function() local t = {} t.method() end))
print("method", pcall(function() local t = {} t:m() end))
