-- <close> in nested function calls closes on each return.
local order = {}
local function res(n) return setmetatable({}, {__close = function() order[#order + 1] = n end}) end
local function inner() local x <close> = res("inner") return "i" end
local function outer()
  local y <close> = res("outer")
  local v = inner()
  order[#order + 1] = "after inner " .. v
  return v .. "o"
end
print("ret", outer())
print("order", table.concat(order, " > "))
