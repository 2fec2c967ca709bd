-- The % operator: fmod-based, an integer-valued zero divisor raises
local function try(f, ...)
  local ok, err = pcall(f, ...)
  if ok then return err end
  return (string.gsub(tostring(err), "^.-:%d+: ", ""))
end
local z, fz, h = 0, 0.0, 1/0
print(try(function() return 5 % z end), try(function() return 5 % fz end), try(function() return 5.5 % z end) ~= try(function() return 5.5 % z end))
print(-5 % 3, 5 % -3, -5 % -3, 5.5 % -2, -5.5 % 2, -5.5 % -2, 5.25 % 2)
local a, b = -5, 3
print(a % b, -a % b, a % -b, 5.5 % -b, -0.5 % b, "10" % b)
print(5 % h, -5 % h, 5 % -h, -5 % -h)
print(try(function() return {} % b end), try(function() return "a" % b end), try(function() return 3 % nil end))
print(setmetatable({}, {__mod = function(x, y) return "mod" end}) % b)
local r = {}
for i = -3, 3 do r[#r + 1] = i % 3 .. "/" .. i % -3 .. "/" .. i % b end
print(table.concat(r, " "))
print(2^53 % 3, 7 % 2.5, -7 % 2.5, 1e308 % 3)
