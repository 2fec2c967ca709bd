-- xpcall handler receives the error; extra arguments reach the function.
print("x1", xpcall(function(a, b) return a * b end, print, 6, 7))
print("x2", xpcall(function() error("bad", 0) end, function(m) return "H:" .. m end))
print("x3", xpcall(function() error({1, 2}) end, function(m) return #m end))
print("x4", xpcall(error, function(m) return "got " .. tostring(m) end, "direct", 0))
