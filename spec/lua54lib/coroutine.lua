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
