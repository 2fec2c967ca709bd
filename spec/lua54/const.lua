-- <const> locals
local N <const> = 10
local S <const>, T = "s", "t"
print(N, S, T)
T = "t2"
print(T)
local function f() return N * 2 end
print(f())
do
  local N = 5   -- a new local may shadow a constant
  N = N + 1
  print(N)
end
print(N)
local function check(src)
  local fn, err = load(src, "=src")
  print(fn and "compiled" or err)
end
check("local x <const> = 1; x = 2")
check("local x <const> = 1; local function g() x = 2 end")
check("local a, b <const> = 1, 2; a, b = 3, 4")
check("local c <close> = nil; c = 1")
check("local x <const> = 1; do local x = 2; x = 3 end")
check("local x <foo> = 1")
check("local x <const = 1")
