-- error levels through three calls.
local function a(level) error("L" .. level, level) end
local function b(level) a(level) end
local function c(level) b(level) end
for level = 1, 3 do
  local ok, e = pcall(c, level)
  print("level", level, e)
end
