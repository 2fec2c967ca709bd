-- error() with a level adds chunk:line positions.
local function fail() error("here") end
local ok, e = pcall(fail)
print("pos", e)
local ok2, e2 = pcall(function() local x = nil; return x.field end)
print("index", (e2:gsub(" %(local 'x'%)", "")))
