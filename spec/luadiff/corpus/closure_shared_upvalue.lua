-- Two closures created together share one upvalue.
local function pair()
  local v = 0
  local function get() return v end
  local function set(x) v = x end
  return get, set
end
local get, set = pair()
print("init", get())
set(42)
print("after", get())
local get2, set2 = pair()
set2(7)
print("independent", get(), get2())
