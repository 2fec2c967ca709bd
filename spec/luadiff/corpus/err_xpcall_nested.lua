-- Nested xpcall/pcall combinations.
local function h(m) return "outer handler: " .. tostring(m) end
print("n1", xpcall(function()
  local ok, e = pcall(error, "inner", 0)
  error("after inner " .. tostring(ok) .. " " .. e, 0)
end, h))
print("n2", pcall(function()
  return xpcall(function() error("deep", 0) end, function(m) return m .. "!" end)
end))
