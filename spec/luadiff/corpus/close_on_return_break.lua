-- close runs on return and on break.
local function res(name)
  return setmetatable({}, {__close = function() print("close", name) end})
end
local function f()
  local r <close> = res("f")
  return "ret"
end
print("f", f())
for i = 1, 3 do
  local r <close> = res("loop" .. i)
  if i == 2 then break end
end
print("end")
