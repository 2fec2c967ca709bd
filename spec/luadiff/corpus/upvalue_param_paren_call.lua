local function f(x) return "f(" .. tostring(x) .. ")" end
local function g(a, p)
  p = (f(p))
  return a, p
end
print("g", g(1, "p"))
local function h(p)
  p = (tostring(p))
  return p
end
print("h", h(12))
