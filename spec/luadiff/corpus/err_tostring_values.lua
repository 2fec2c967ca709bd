-- tostring of error values of each type.
for _, v in ipairs({"s", 12, true}) do
  local ok, e = pcall(error, v)
  print("type", type(e), tostring(e))
end
local ok, e = pcall(error, nil)
print("nil", ok, e)
