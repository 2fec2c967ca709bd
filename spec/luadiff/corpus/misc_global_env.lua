-- _G and _ENV refer to the globals table.
gx = 1
print("g", _G.gx, _ENV.gx, _G == _ENV)
_G.gy = 2
print("gy", gy)
local function f() local _ENV = {print = print} print("local env", gx) end
f()
print("rawget", rawget(_G, "gx"))
