-- Upvalues survive a pcall nested inside an xpcall followed by an error.
local v = "v0"
local function get() return v end
local ok = xpcall(function()
  pcall(error, "inner")
  error("outer")
end, function(m) return m end)
v = "v1"
print("ok", ok)
print("get", get())
