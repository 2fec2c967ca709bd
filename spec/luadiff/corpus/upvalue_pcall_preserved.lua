-- A caught error must not detach the caller's closures from its locals.
local a
local function use() return a end
print("pcall", pcall(error, "x"))
a = 5
print("use", use())
local b = 1
local function incb() b = b + 1; return b end
pcall(function() error("y") end)
b = 10
print("incb", incb(), b)
