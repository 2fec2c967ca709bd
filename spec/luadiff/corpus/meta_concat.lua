-- __concat with the table on either side.
local mt = {__concat = function(a, b)
  local function s(v) return type(v) == "table" and "[" .. v.s .. "]" or tostring(v) end
  return s(a) .. s(b)
end}
local t = setmetatable({s = "T"}, mt)
print("right", t .. "x")
print("left", "x" .. t)
print("num", 1 .. t)
print("chain", "a" .. t .. "b")
print("err", pcall(function() return {} .. "x" end))
