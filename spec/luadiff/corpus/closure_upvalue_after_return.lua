-- A closure keeps its upvalue alive after the creating function returns
-- and sees later writes by the creator.
local function make()
  local x = "start"
  local function get() return x end
  x = "changed"
  return get, function(v) x = v end
end
local get, set = make()
print("get", get())
set("set")
print("get2", get())
