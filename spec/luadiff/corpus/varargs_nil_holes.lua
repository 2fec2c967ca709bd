-- Varargs keep trailing and middle nils; table.pack records n.
local function f(...) return select("#", ...), ... end
print("n", f(1, nil, 3, nil))
local t = table.pack(1, nil, 3, nil)
print("pack.n", t.n, t[1], t[2], t[3], t[4])
print("unpack", table.unpack(t, 1, t.n))
local function g(...) local a, b, c = ...; return a, b, c end
print("adjust", g(1))
print("adjust2", g(1, 2, 3, 4))
