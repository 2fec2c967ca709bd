-- xpcall, rawlen, select, collectgarbage, warn (Lua 5.4).
local function E(f, ...)
  local ok, err = pcall(f, ...)
  print(ok, (string.gsub(tostring(err), "^[^:]*:%d+: ", "")))
end
local function strip(s) return (string.gsub(tostring(s), "^[^:]*:%d+: ", "")) end

-- xpcall forwards extra arguments and the results
print("xpcall", xpcall(function(a, b, c) return a + b, c end, print, 1, 2, "three"))
print("xpcall", xpcall(function(...) return select("#", ...) end, print, nil, nil))
print("xpcall", xpcall(function() error("boom") end, function(m) return "handled: " .. strip(m) end))
print("xpcall", xpcall(function() error({code = 7}) end, function(m) return m.code end))
print("xpcall", xpcall(function() error() end, function(m) return tostring(m) end))
print("xpcall", xpcall(nil, function(m) return "H:" .. m end))
print("xpcall", xpcall(42, function(m) return "H:" .. m end, 1))
local tb = select(2, xpcall(function() local x = nil; return x.y end, debug.traceback))
print("xpcall traceback", type(tb), string.find(tb, "stack traceback", 1, true) ~= nil)
print("xpcall callable", xpcall(setmetatable({}, {__call = function(self, a) return "called", a end}), print, 5))
E(function() return xpcall(print) end)
E(function() return xpcall(print, 1) end)
print("pcall", pcall(function(a, b) return a * b end, 6, 7))

-- rawlen
print("rawlen", rawlen({1, 2, 3}), rawlen("abcd"), rawlen(setmetatable({1}, {__len = function() return 99 end})), rawlen(""))
E(function() return rawlen(5) end)
E(function() return rawlen() end)
print("rawequal", rawequal(1, 1), rawequal("a", "a"), rawequal({}, {}), rawequal(setmetatable({}, {__eq = function() return true end}), {}))

-- select
print("select", select(2, "a", "b", "c"), select(-1, "a", "b", "c"), select("#"), select("#", nil, nil))
print("select", select(-3, "a", "b", "c"))
E(function() return select(-4, "a", "b", "c") end)
E(function() return select(0, "a") end)

-- collectgarbage
local k = collectgarbage("count")
print("count", type(k), k > 0, select("#", collectgarbage("count")))
print("collect", collectgarbage(), collectgarbage("collect"))
print("step", collectgarbage("step"), collectgarbage("step", 10))
print("isrunning", collectgarbage("isrunning"))
print("stop", collectgarbage("stop"), collectgarbage("isrunning"))
print("restart", collectgarbage("restart"), collectgarbage("isrunning"))
print("modes", collectgarbage("generational"), collectgarbage("incremental"), collectgarbage("incremental"))
E(function() return collectgarbage("bogus") end)
E(function() return collectgarbage({}) end)

-- warn (writes to stderr; off until "@on")
warn("not shown")
warn("@on")
warn("hello ", "world")
warn("@unknown")
warn("@off")
warn("hidden")
warn("@on")
warn("again")
E(function() warn() end)
E(function() warn("a", {}) end)
E(function() warn(1, 2) end)
