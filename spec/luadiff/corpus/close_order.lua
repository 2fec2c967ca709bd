-- to-be-closed variables close in reverse order on normal exit.
local function res(name)
  return setmetatable({}, {__close = function() print("close", name) end})
end
do
  local a <close> = res("a")
  local b <close> = res("b")
  local c <close> = nil
  print("body")
end
print("after")
