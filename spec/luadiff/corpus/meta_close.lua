-- __close runs at scope end in reverse order with the error object.
local log = {}
local function closer(name)
  return setmetatable({}, {__close = function(self, err)
    log[#log + 1] = name .. ":" .. tostring(err)
  end})
end
do
  local a <close> = closer("a")
  local b <close> = closer("b")
  log[#log + 1] = "body"
end
print("normal", table.concat(log, " "))
log = {}
local ok, e = pcall(function()
  local c <close> = closer("c")
  error("E", 0)
end)
print("error", ok, e, table.concat(log, " "))
