-- local function can call itself; mutual recursion through upvalues.
local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
print("fact10", fact(10))
local isodd
local function iseven(n) if n == 0 then return true end return isodd(n - 1) end
function isodd(n) if n == 0 then return false end return iseven(n - 1) end
print("even10", iseven(10), "odd7", isodd(7))
local fib
fib = function(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print("fib20", fib(20))
