-- Forwarding varargs through several calls.
local function inner(...) return select("#", ...), ... end
local function middle(...) return inner(...) end
local function outer(...) return middle("x", ...) end
print("fwd", outer(1, 2, nil))
print("fwd0", outer())
local function tail(...) return ... end
print("tail", tail(tail(1, 2), tail(3, 4)))
print("paren", (tail(5, 6)))
