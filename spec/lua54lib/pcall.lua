-- Protected calls and upvalues (issue #12, bug 1): a caught error must
-- leave the caller's closures attached to their locals, and the closures
-- created inside the failed call must keep the values they captured.

local function clobber(a, b, c, d, e, f, g, h)
  -- reuses the stack slots a failed call left behind
  local x1, x2, x3, x4, x5, x6 = "junk", "junk", "junk", "junk", "junk", "junk"
  return x1
end

-- the repro of the issue
do
  local a
  local function use() return a end
  pcall(error, 'x')
  a = 5
  print("repro", use())
end

-- the caller's upvalue stays shared both ways after each kind of failure
do
  local n = 0
  local function inc() n = n + 1 return n end
  local function get() return n end
  pcall(error, 'x')
  inc()
  pcall(error, {})
  n = n + 10
  pcall(function() local t = nil; return t.x end)
  inc()
  xpcall(error, function(m) return m end, 'y')
  n = n + 100
  pcall(string.rep)
  print("shared", get(), inc(), n)
end

-- nested protected calls, in every order, then a later error in the outer body
do
  local v = "v0"
  local function get() return v end
  print("pcall/pcall", pcall(function()
    print(" inner", pcall(error, "e1", 0))
    v = "v1"
    error("e2", 0)
  end))
  print(" after", get(), v)
  v = "v2"
  print(" set", get())
  print("xpcall/pcall", xpcall(function()
    print(" inner", pcall(error, "e1", 0))
    v = "v3"
    error("e2", 0)
  end, function(m) return "handled " .. m end))
  v = "v4"
  print(" set", get())
  print("pcall/xpcall", pcall(function()
    print(" inner", xpcall(error, function(m) return "h:" .. m end, "e1", 0))
    v = "v5"
    error("e3", 0)
  end))
  v = "v6"
  print(" set", get())
  print("xpcall/xpcall", xpcall(function()
    print(" inner", xpcall(error, function(m) return "h1:" .. m end, "e1", 0))
    v = "v7"
    error("e4", 0)
  end, function(m) return "h2:" .. m end))
  v = "v8"
  print(" set", get())
end

-- a closure made inside a pcall'd function that raises, from a local of
-- that function or of a deeper one, keeps its value after the slots are reused
do
  local saved = {}
  local function deep(k)
    local mine = "deep" .. k
    saved[#saved + 1] = function() return mine end
    error("d", 0)
  end
  print("fail", pcall(function(...)
    local here = "here:" .. select('#', ...)
    saved[#saved + 1] = function() return here end
    deep(1)
  end, 1, 2, 3))
  clobber(1, 2, 3, 4, 5, 6, 7, 8)
  print(" kept", saved[1](), saved[2]())
  print("xfail", xpcall(function()
    local here = "xhere"
    saved[#saved + 1] = function() return here end
    deep(2)
  end, function(m) return "H" .. m end))
  clobber(1, 2, 3, 4, 5, 6, 7, 8)
  print(" kept", saved[3](), saved[4]())
  -- the handler sees the live values, and its own closures survive too
  local hsaved
  print("handler", xpcall(function()
    local here = "alive"
    saved[5] = function() return here end
    error("z", 0)
  end, function(m)
    local hl = "handler local"
    hsaved = function() return hl end
    return m .. ":" .. saved[5]()
  end))
  clobber(1, 2, 3, 4, 5, 6, 7, 8)
  print(" kept", saved[5](), hsaved())
  -- a shared upvalue created inside stays shared between its closures
  local get, set
  pcall(function()
    local s = 1
    get = function() return s end
    set = function(x) s = x end
    error("x")
  end)
  clobber(1, 2, 3, 4, 5, 6, 7, 8)
  set(42)
  print(" shared inside", get())
end

-- error values come back unchanged
do
  local t = {}
  local ok, e = pcall(error, t)
  print("table", ok, e == t)
  print("nil", pcall(error, nil))
  print("number", pcall(error, 42))
  print("bool", pcall(error, false))
  print("none", select('#', pcall(error)), pcall(error))
  print("level0", pcall(error, "msg", 0))
  print("go arg", pcall(string.rep))
  print("go arg x", xpcall(string.rep, function(m) return "H:" .. m end))
  print("results", pcall(function(...) return ... end, 1, nil, 3))
  print("count", select('#', pcall(function() return 1, nil, nil end)))
  print("not callable", pcall(nil))
  print("xpcall args", xpcall(function(a, b) return a + b end, print, 3, 4))
end

-- a message handler that raises is called again with its own error
do
  local n = 0
  print("handler retries", xpcall(error, function(m)
    n = n + 1
    if n < 3 then error("h" .. n, 0) end
    return "after " .. n .. " " .. m
  end, "x"))
  print("handler loops", xpcall(error, function(m) error(m, 0) end, "x"))
  print("handler index", xpcall(error, function(m) local t = nil; return t.x end, "x"))
  local keep = "outer"
  local function getkeep() return keep end
  print("nested handler", pcall(xpcall, error, function(m) error("y", 0) end, "x"))
  keep = "outer2"
  print(" kept", getkeep())
end

-- coroutines inside protected calls, protected calls inside coroutines
do
  local a = "a0"
  local function geta() return a end
  local co = coroutine.create(function(x)
    local inside = "in co"
    local ok, e = pcall(error, "in-co", 0)
    a = "a1"
    local y = coroutine.yield(ok, e, geta())
    error("co dies " .. y, 0)
  end)
  print("resume", pcall(coroutine.resume, co, 1))
  print("resume", pcall(coroutine.resume, co, "now"))
  a = "a2"
  print(" caller", geta(), coroutine.status(co))
  local saved
  print("wrap", pcall(coroutine.wrap(function()
    local c = "captured in co"
    saved = function() return c end
    error("wrapped", 0)
  end)))
  clobber(1, 2, 3, 4, 5, 6, 7, 8)
  print(" kept", saved())
  local gen = coroutine.wrap(function()
    for i = 1, 3 do
      local ok, e = pcall(function() if i == 2 then error("two", 0) end return i end)
      coroutine.yield(tostring(ok) .. ":" .. tostring(e))
    end
  end)
  print("gen", gen(), gen(), gen())
end

-- tail calls and recursion inside the failed call
do
  local depth = 0
  local function rec(k)
    local mine = k
    if k == 0 then error("bottom", 0) end
    depth = depth + 1
    return rec(k - 1)
  end
  print("tail", pcall(rec, 20), depth)
  local keep = {}
  local function rec2(k)
    local mine = "r" .. k
    keep[k] = function() return mine end
    if k == 0 then error("bottom2", 0) end
    rec2(k - 1)
  end
  print("rec", pcall(rec2, 5))
  clobber(1, 2, 3, 4, 5, 6, 7, 8)
  print(" kept", keep[5](), keep[3](), keep[0]())
end

-- error adds a position only when the function at its level is Lua code
do
  print("pos direct", pcall(error, "msg"))
  print("pos level 1", pcall(error, "msg", 1))
  print("pos level 2", pcall(error, "msg", 2))
  local function f() error("lvl1") end
  print("pos lua", pcall(f))
  local function g() error("lvl2", 2) end
  local function h() g() end
  print("pos lua 2", pcall(h))
  print("pos anon", pcall(function() error("in anon") end))
  print("pos xpcall", xpcall(error, function(m) return "H:" .. m end, "hx"))
  print("pos too deep", pcall(error, "deep", 50))
  print("pos bad level", pcall(error, "m", "z"))
end
