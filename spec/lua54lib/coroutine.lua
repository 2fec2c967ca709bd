-- coroutine.running / isyieldable / close / status / resume (Lua 5.4).
local function E(f, ...)
  local ok, err = pcall(f, ...)
  print(ok, (string.gsub(tostring(err), "^[^:]*:%d+: ", "")))
end
local function strip(s) return (string.gsub(tostring(s), "^[^:]*:%d+: ", "")) end

-- running and isyieldable on the main thread
local main, ismain = coroutine.running()
print("main", type(main), ismain, coroutine.isyieldable(), coroutine.status(main))

-- inside a coroutine
local inner
local co = coroutine.create(function(a, b)
  local me, im = coroutine.running()
  inner = me
  print("inside", me == inner, im, coroutine.isyieldable(), coroutine.status(me), coroutine.status(main))
  local x = coroutine.yield(a + b)
  return x * 2
end)
print("status", coroutine.status(co))
print("resume", coroutine.resume(co, 1, 2))
print("same thread", inner == co, coroutine.status(co), coroutine.isyieldable(co))
print("resume", coroutine.resume(co, 10))
print("status", coroutine.status(co))
print("resume dead", coroutine.resume(co))

-- close: suspended, dead, dead with error
local c1 = coroutine.create(function() coroutine.yield(1) end)
coroutine.resume(c1)
print("close suspended", coroutine.close(c1), coroutine.status(c1))
print("resume closed", coroutine.resume(c1))
print("close dead", coroutine.close(c1))
local c2 = coroutine.create(function() return 1 end)
print("close new", coroutine.close(c2), coroutine.status(c2))
local c3 = coroutine.create(function() error("oops") end)
local ok, err = coroutine.resume(c3)
print("resume error", ok, strip(err), coroutine.status(c3))
local cok, cerr = coroutine.close(c3)
print("close errored", cok, strip(cerr))
print("close again", coroutine.close(c3))
local c4 = coroutine.create(function() error({tag = "obj"}) end)
coroutine.resume(c4)
local _, eobj = coroutine.close(c4)
print("close error object", type(eobj), eobj.tag)

-- errors
E(function() return coroutine.close(coroutine.running()) end)
local c5
c5 = coroutine.create(function()
  local ok, e = pcall(coroutine.close, c5)
  print("close running", ok, strip(e))
  local c6 = coroutine.create(function()
    print("close normal", pcall(coroutine.close, c5))
    print("resume normal", coroutine.resume(c5))
  end)
  coroutine.resume(c6)
end)
coroutine.resume(c5)
E(function() return coroutine.close(1) end)
E(function() return coroutine.close() end)
E(function() return coroutine.status({}) end)
print("resume self", coroutine.resume(coroutine.running()))

-- wrap still works
local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end)
print("wrap", gen(), gen(), gen())

-- create/wrap/resume argument errors
E(function() return coroutine.create() end)
E(function() return coroutine.wrap(1) end)
E(function() return coroutine.resume(1) end)
print(pcall(coroutine.create))
print(pcall(coroutine.resume))

-- yield from the main thread
print("yield main", pcall(coroutine.yield, 1))
print("yield main in function", pcall(function() coroutine.yield(1) end))

-- yield across pcall and xpcall, errors after the yield caught there
local cp = coroutine.create(function()
  local ok, v = pcall(function()
    local x = coroutine.yield("in pcall")
    return x * 2
  end)
  coroutine.yield("after pcall", ok, v)
  local ok2, e = xpcall(function(a)
    local y = coroutine.yield("in xpcall", a)
    error("late " .. y, 0)
  end, function(m) return "handled: " .. m end, "arg")
  return "end", ok2, e
end)
print("pcall r1", coroutine.resume(cp))
print("pcall r2", coroutine.resume(cp, 21))
print("pcall r3", coroutine.resume(cp))
print("pcall r4", coroutine.resume(cp, "y"))
print("pcall r5", coroutine.resume(cp))

-- yield inside metamethods: __index, __newindex, __add, __eq, __lt, __concat, __call, __len
local mt = {
  __index = function(t, k) return coroutine.yield("index " .. k) end,
  __newindex = function(t, k, v) rawset(t, k, coroutine.yield("newindex " .. k)) end,
  __add = function(a, b) return coroutine.yield("add") end,
  __eq = function(a, b) return coroutine.yield("eq") end,
  __lt = function(a, b) return coroutine.yield("lt") end,
  __concat = function(a, b) return coroutine.yield("concat") end,
  __call = function(self, x) return coroutine.yield("call " .. x) end,
  __len = function(a) return coroutine.yield("len") end,
}
local cm = coroutine.wrap(function()
  local a, b = setmetatable({}, mt), setmetatable({}, mt)
  local r = {}
  r[#r + 1] = a.foo
  a.bar = 1
  r[#r + 1] = rawget(a, "bar")
  r[#r + 1] = a + 1
  r[#r + 1] = tostring(a == b)
  r[#r + 1] = tostring(a < b)
  r[#r + 1] = a .. "x"
  r[#r + 1] = a(5)
  r[#r + 1] = #a
  return "done", table.concat(r, ",")
end)
local v = cm()
local i = 0
while v ~= "done" do
  i = i + 1
  print("meta yield", v)
  v, last = cm("v" .. i)
end
print("meta", v, last)

-- yield inside iterators of a generic for
local ci = coroutine.wrap(function()
  local function iter(_, n)
    if n < 3 then return coroutine.yield(n) end
  end
  local s = 0
  for n in iter, nil, 0 do s = s + n end
  return "sum", s
end)
print("iter", ci())
print("iter", ci(1))
print("iter", ci(2))
print("iter", ci(3))

-- error objects pass through resume and wrap unchanged
local eobj = {}
print("error object", select(2, coroutine.resume(coroutine.create(function() error(eobj) end))) == eobj)
print("wrap error object", select(2, pcall(coroutine.wrap(function() error(eobj) end))) == eobj)
print("wrap error string", pcall(coroutine.wrap(function() error("s", 0) end)))
print("wrap error level", pcall(coroutine.wrap(function() error("lvl") end)))
local wdead = coroutine.wrap(function() end)
wdead()
print("wrap dead", pcall(wdead))
print("wrap dead from Lua", pcall(function() local r = wdead() return r end))
print("wrap error from Lua", pcall(function() local r = coroutine.wrap(function() error("in", 0) end)() return r end))
print("wrap nil error", pcall(coroutine.wrap(function() error() end)))

-- status seen from inside nested coroutines; isyieldable of threads
local outer
outer = coroutine.create(function()
  local inner = coroutine.create(function()
    print("nested", coroutine.status(outer), coroutine.status(main), coroutine.isyieldable())
    coroutine.yield()
  end)
  coroutine.resume(inner)
  print("nested after", coroutine.status(inner), coroutine.isyieldable(inner), coroutine.isyieldable(main))
end)
coroutine.resume(outer)

-- resume passes values both ways, many of them and nils
local cv = coroutine.create(function(...)
  print("args", select("#", ...), ...)
  print("got", select("#", coroutine.yield(nil, 2, nil)), "values")
  return nil, nil
end)
print("vals", coroutine.resume(cv, 1, nil, 3))
print("vals", select("#", coroutine.resume(cv, nil, nil, nil, nil)))
print("vals", select("#", coroutine.resume(cv)))

-- close runs nothing for a never-started coroutine, then it is dead
local never = coroutine.create(function() print("never runs") end)
print("close unstarted", coroutine.close(never), coroutine.status(never), coroutine.resume(never))

-- a coroutine resuming one that errors keeps running
local cr = coroutine.wrap(function()
  local ok, e = coroutine.resume(coroutine.create(function() error("deep", 0) end))
  coroutine.yield(ok, e)
  return "still"
end)
print("inner error", cr())
print("inner error", cr())

-- yield inside functions called by the library: 5.4 raises "attempt to
-- yield across a C-call boundary", golua-ws yields (see the .expected notes)
local function drive(name, body)
  local co = coroutine.create(body)
  local log = {}
  local ok, v = coroutine.resume(co)
  while ok and coroutine.status(co) == "suspended" do
    log[#log + 1] = tostring(v)
    ok, v = coroutine.resume(co, string.upper(tostring(v)))
  end
  print(name, ok, v, table.concat(log, " "))
end
drive("gsub", function()
  return (string.gsub("ab", "%w", function(c) return coroutine.yield(c) end))
end)
drive("sort", function()
  local t = {3, 1, 2}
  table.sort(t, function(a, b) coroutine.yield("cmp") return a < b end)
  return table.concat(t, ",")
end)
drive("format", function()
  local o = setmetatable({}, {__tostring = function() return coroutine.yield("tostring") end})
  return string.format("<%s>", o)
end)
