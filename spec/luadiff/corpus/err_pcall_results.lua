-- pcall returns false plus the error value, or true plus results.
print("ok", pcall(function(a, b) return a + b, "x" end, 1, 2))
print("err", pcall(error, "msg"))
print("errlvl0", pcall(error, "msg", 0))
print("errnil", pcall(error))
print("errnum", pcall(error, 42))
print("nofunc", pcall(nil))
