-- {...} and {..., x}: only the last expression expands.
local function f(...)
  local a = {...}
  local b = {..., "end"}
  local c = {"start", ...}
  return #a, #b, #c, b[2], c[#c]
end
print("tables", f(1, 2, 3))
local function g() return 1, 2, 3 end
local t = {g(), g()}
print("expand", #t, table.concat(t, ","))
local u = {(g())}
print("paren", #u)
