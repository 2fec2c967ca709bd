-- <const> locals and compile-time errors on assignment.
local x <const> = 10
local s <const> = "str"
print("const", x * 2, s .. "!")
local f, err = load("local a <const> = 1; a = 2", "=c")
print("assign", f, err)
local g, err2 = load("local a <foo> = 1", "=c")
print("attr", g, err2)
