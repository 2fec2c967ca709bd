-- A parameter captured as an upvalue and modified.
local function acc(total)
  return function(v)
    total = total + v
    return total
  end
end
local a = acc(10)
print("acc", a(1), a(2), a(3))
local function swap(x, y)
  local function s() x, y = y, x end
  s()
  return x, y
end
print("swap", swap(1, 2))
