-- The debug library: fields and messages that 5.4 defines identically
-- here (no addresses, no hooks).

-- getinfo of functions.
local function f3(a, b, c) return a end
local function fv(a, ...) return a end
local i = debug.getinfo(f3)
print("f3", i.what, i.short_src:match("[^/]*$"), i.source:sub(1, 1), i.linedefined, i.lastlinedefined, i.nups, i.nparams, i.isvararg, i.func == f3)
i = debug.getinfo(fv, "u")
print("fv", i.nups, i.nparams, i.isvararg, i.func)
i = debug.getinfo(print)
print("print", i.what, i.source, i.short_src, i.linedefined, i.lastlinedefined, i.currentline, i.nups, i.nparams, i.isvararg)
i = debug.getinfo(1, "Sl")
print("main", i.what, i.currentline, i.linedefined)
print("bad", pcall(debug.getinfo, 1, ">S"))
print("bad2", pcall(debug.getinfo, 1, "q"))
print("bad3", pcall(debug.getinfo, {}))
print("far", debug.getinfo(100))
local active = debug.getinfo(f3, "L").activelines
print("active", active[5], active[1])

-- Names and what the caller called them.
local function loc() local i = debug.getinfo(1, "nt") return i.name, i.namewhat, i.istailcall end
function glob() local i = debug.getinfo(1, "n") return i.name, i.namewhat end
local t = {f = glob}
function t:m() local i = debug.getinfo(1, "n") return i.name, i.namewhat end
print("n", loc())
print("n", glob())
print("n", t.f())
print("n", t:m())
print("n", t.m(t))
local function tail() return loc() end
print("n", tail())
print("n", pcall(glob))
local function up() return (loc()) end
local function callsup() return (up()) end
print("n", callsup())
local function lvl2() return debug.getinfo(2, "n").name end
local function named() return (lvl2()) end
print("n2", named())

-- Locals, by level, varargs with negative indices, parameters of a function.
local function locals(x, y, ...)
  local z = x + y
  local out = {}
  local k = 1
  while true do
    local name, v = debug.getlocal(1, k)
    if not name then break end
    if name:sub(1, 1) ~= "(" then out[#out + 1] = name .. "=" .. type(v) end
    k = k + 1
  end
  print("locals", table.concat(out, " "))
  print("vararg", debug.getlocal(1, -1))
  print("vararg", debug.getlocal(1, -2))
  print("vararg", debug.getlocal(1, -3))
  print("set", debug.setlocal(1, 1, 100), x)
  print("setv", debug.setlocal(1, -1, "new"), (...))
  print("setnone", debug.setlocal(1, 50, 1))
  return z
end
locals(1, 2, "va", "vb")
local function novar(a) print("novar", debug.getlocal(1, -1)) end
novar(1)
print("params", debug.getlocal(f3, 1), debug.getlocal(f3, 3), debug.getlocal(f3, 4), debug.getlocal(print, 1))
print("level", pcall(debug.getlocal, 100, 1))
print("level2", pcall(debug.setlocal, 100, 1, 1))

-- Upvalues.
local u1, u2 = 10, 20
local function uses() return u1 + u2 end
print("up", debug.getupvalue(uses, 1))
print("up", debug.getupvalue(uses, 2))
print("up", select('#', debug.getupvalue(uses, 3)))
print("up", select('#', debug.getupvalue(print, 1)))
print("setup", debug.setupvalue(uses, 1, 5), u1, uses())
print("setup", select('#', debug.setupvalue(uses, 3, 5)))
print("up", pcall(debug.getupvalue, 1, 1))

-- upvalueid and upvaluejoin.
local function mk()
  local a, b = 1, 2
  return function() return a end, function() return b, a end
end
local g1, g2 = mk()
local h1 = mk()
print("id", debug.upvalueid(g1, 1) == debug.upvalueid(g2, 2), debug.upvalueid(g1, 1) == debug.upvalueid(h1, 1),
  debug.upvalueid(g1, 1) == debug.upvalueid(g1, 1), debug.upvalueid(g1, 2))
print("idtype", type(debug.upvalueid(g1, 1)))
debug.upvaluejoin(h1, 1, g2, 1)
print("join", h1(), debug.upvalueid(h1, 1) == debug.upvalueid(g2, 1))
debug.setupvalue(g2, 1, 42)
print("joined", h1())
print("join", pcall(debug.upvaluejoin, g1, 2, g2, 1))
print("join", pcall(debug.upvaluejoin, g1, 1, g2, 3))
print("join", pcall(debug.upvaluejoin, g1, 0, g2, 1))
print("join", pcall(debug.upvaluejoin, {}, 1, g2, 1))

-- Hooks: none set, and clearing works.
print("hook", debug.gethook())
print("sethook", pcall(debug.sethook))

-- Traceback.
print(debug.traceback("msg"))
print(debug.traceback("msg", 2))
print(debug.traceback())
print(debug.traceback(nil, 1))
print("tbtable", type(debug.traceback({})))
print(debug.traceback(12))
local function lf() return debug.traceback("in lf") end
function gf() return (lf()) end
print(gf())
local deep
deep = function(n) if n == 0 then return debug.traceback("deep") end return (deep(n - 1)) end
print(deep(30))
local co = coroutine.create(function(x) local y = x coroutine.yield() end)
coroutine.resume(co, 1)
print(debug.traceback(co))
print(debug.traceback(co, "comsg"))
print(debug.traceback(co, "comsg", 1))
print("coinfo", debug.getinfo(co, 1, "l").currentline, debug.getlocal(co, 1, 1), debug.getlocal(co, 1, 2))
local ok, tb = xpcall(function() error("boom") end, debug.traceback)
print(tb)

-- Metatables and the registry, user values.
local mt = {}
print("mt", debug.setmetatable(10, mt) == 10, debug.getmetatable(1) == mt, getmetatable(2) == mt)
debug.setmetatable(10, nil)
print("mt", debug.getmetatable(1))
print("mt", pcall(debug.setmetatable, 1, 2))
print("reg", type(debug.getregistry()))
print("uv", debug.getuservalue(1), select('#', debug.getuservalue(1)), select('#', debug.getuservalue({}, 1)))
print("uv", pcall(debug.setuservalue, {}, 1))

-- Temporaries of a Go function (level 0 is getlocal itself).
print("ctemp", debug.getlocal(0, 1))
print("ctemp", debug.getlocal(0, 2))
print("ctemp", debug.getlocal(0, 3))
print("ctemp", pcall(debug.getlocal, 0, 1))

-- Tail calls take no level of their own.
local function tb() return debug.traceback("tail", 1) end
local function calltail() return tb() end
print(calltail())
local function lvl() return debug.getinfo(2, "l").currentline, debug.getinfo(1, "t").istailcall end
local function tl() return lvl() end
print("tl", tl())
local function countdown(n) if n == 0 then return debug.traceback("down") end return countdown(n - 1) end
print(countdown(100000))
local co2 = coroutine.wrap(function() return tb() end)
print(co2())
local function pcalltail() local ok, r = pcall(function() return tb() end) return r end
print(pcalltail())
local function where2() local x = "mine" return (function() return debug.getlocal(2, 1) end)() end
print("local2", (select(2, where2())) == f3)
local callable = setmetatable({}, {__call = function(self, a, ...) return debug.getlocal(1, -1) end})
print("callva", callable(1, "v1", "v2"))
local function vf(...) return debug.getlocal(1, -3) end
print("va3", vf(1, 2, 3), vf(1, 2))
