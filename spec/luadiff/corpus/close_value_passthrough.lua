-- The returned values survive the close; close sees nil error on success.
local function res()
  return setmetatable({}, {__close = function(_, e) print("closing", e) end})
end
local function f(...)
  local r <close> = res()
  return select("#", ...), ...
end
print("values", f(1, nil, 3))
