-- rawset/rawget bypass __newindex/__index.
local t = setmetatable({}, {
  __index = function() return "meta" end,
  __newindex = function() error("no writes") end,
})
print("index", t.k, rawget(t, "k"))
print("write", pcall(function() t.k = 1 end))
rawset(t, "k", "raw")
print("after", t.k, rawget(t, "k"))
print("rawequal", rawequal(t, t), rawequal(t, {}))
