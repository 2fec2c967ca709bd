-- __newindex as a function and as a table.
local store = {}
local proxy = setmetatable({}, {__newindex = store})
proxy.a = 1
print("proxy", rawget(proxy, "a"), store.a)
local seen = {}
local t = setmetatable({exists = 0}, {__newindex = function(t, k, v)
  seen[#seen + 1] = k .. "=" .. tostring(v)
  rawset(t, k, v * 2)
end})
t.x = 5
t.exists = 9
t.x = 7
print("t", t.x, t.exists)
print("seen", table.concat(seen, ";"))
