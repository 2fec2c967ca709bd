-- Assignments to a function's last parameter from a call that gopher-lua
-- compiles in place (issue #12, bug 2): a parenthesised call, a call
-- followed by other values, and the operators lowered to helper calls
-- (//, &, |, ~, <<, >>). Each case runs protected so that one failure does
-- not hide the others.

local function g(x) return "g:" .. tostring(x) end
local function case(name, f, ...)
  print(name, pcall(f, ...))
end

case("tostring", function(p) p = (tostring(p)) return p end, 12)
case("call itself", function(p) p = (g(p)) return p end, 3)
case("idiv", function(a, n) n = a // n return n end, 17, 5)
case("mqtt length", function(len)
  local out = {}
  repeat
    local d = len % 128
    len = len // 128
    if len > 0 then d = d | 128 end
    out[#out + 1] = d
  until len == 0
  return table.concat(out, ",")
end, 321)
case("band", function(p) p = p & 0xf0 return p end, 0xabc)
case("bor", function(p) p = p | 1 return p end, 6)
case("bxor", function(p) p = p ~ 3 return p end, 5)
case("shl", function(p) p = p << 4 return p end, 3)
case("shr", function(p) p = p >> 1 return p end, 40)
case("bnot", function(p) p = ~p return p end, 5)
case("nested ops", function(p) p = (p << 2) & 0xff return p end, 100)
case("unary minus of op", function(p) p = -(p // 2) return p end, 9)
case("concat of call", function(a, p) p = a .. (g(p)) return p end, "z", 2)
case("and call", function(p) p = p and (g(p)) return p end, 2)
case("locals above", function(a, p) local q = "q"; p = (g(5)) return p, q end, 1, 2)
case("multiple, last", function(p) local a; a, p = 1, (g(p)) return a, p end, 4)
case("multiple, first", function(p) local a; p, a = g(p), 1 return a, p end, 4)
case("multiple, first paren", function(p) local a; p, a = (g(p)), 1 return a, p end, 4)
case("extra values", function(p) p = (g(p)), 7 return p end, 4)
case("vararg", function(p, ...) p = (select('#', ...)) return p end, 1, 2, 3)
case("vararg idiv", function(p, ...) p = p // select('#', ...) return p end, 10, 2, 3)
case("from a closure", function(p) local function q() p = (g(p)) return p end return q() end, 8)
case("shadowed", function(p)
  do local p = 3; p = p // 2; print(" inner", p) end
  p = (g(p))
  return p
end, 9)
case("recursion", function(n)
  local function rec(n) if n <= 1 then return 1 end n = n * rec(n - 1) return n end
  return rec(n)
end, 5)
case("captured", function(p) local f = function() return p end p = p // 2 return f(), p end, 9)
case("local decl", function(p) local x = (g(p)) local y = p // 2 return x, y end, 1)

local o = {base = 10}
function o:get(v) return self.base + v end
function o:add(v) v = self:get(v) // 1 return v end
function o:self1() self = (self.get(self, 1)) return self end
case("method", function() return o:add(5) end)
case("method self", function() return o:self1() end)
