-- load with an environment and chunk names.
local env = {y = 5}
local f = load("x = y * 2; return x", "=env", "t", env)
print("env", f(), env.x, x)
print("named", load("error('e')", "=mychunk") and pcall(load("error('e')", "=mychunk")))
print("reader", load(coroutine.wrap(function() coroutine.yield("return ") coroutine.yield("7") end))())
print("binary", load("return 1", "=b", "b"))
