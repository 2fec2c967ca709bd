-- __close gets the error; errors in __close replace the original.
local function res(name)
  return setmetatable({}, {__close = function(_, e) print("close", name, e) end})
end
print("pcall", pcall(function()
  local r <close> = res("r")
  error("oops", 0)
end))
print("pcall2", pcall(function()
  local a <close> = setmetatable({}, {__close = function() error("in close", 0) end})
  error("orig", 0)
end))
