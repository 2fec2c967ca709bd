-- goto out of a block closes its <close> variables.
local log = {}
local function res(n) return setmetatable({}, {__close = function() log[#log + 1] = "close " .. n end}) end
local i = 0
::again::
i = i + 1
do
  local r <close> = res(i)
  log[#log + 1] = "use " .. i
  if i < 3 then goto again end
end
print("log", table.concat(log, ", "))
