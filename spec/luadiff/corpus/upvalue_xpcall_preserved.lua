-- xpcall: closures of the caller stay live, and a closure created inside
-- the failed call keeps its own value.
local a = 1
local function get() return a end
local inner
local ok, msg = xpcall(function()
  local hidden = "inner"
  inner = function() return hidden end
  error("boom", 0)
end, function(m) return "handled: " .. m end)
print("xpcall", ok, msg)
a = 2
print("get", get())
local filler = {"p", "q", "r"}
print("inner", inner(), #filler)
