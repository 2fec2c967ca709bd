-- A value without __close in a <close> local is an error.
local ok, e = pcall(function()
  local x <close> = {}
end)
print("table", ok, e)
local ok2 = pcall(function() local y <close> = false end)
print("false", ok2)
