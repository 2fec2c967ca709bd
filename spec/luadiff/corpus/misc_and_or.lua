-- and/or short-circuit and values.
print("and", 1 and 2, nil and 1, false and nil)
print("or", nil or "d", false or false, 1 or error("no"))
print("not", not nil, not 0, not "")
print("mixed", nil and 1 or 2, 1 and nil or 3)
local calls = 0
local function f() calls = calls + 1 return true end
local _ = false and f()
local _ = true or f()
print("calls", calls)
