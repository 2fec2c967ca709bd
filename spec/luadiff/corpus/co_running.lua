-- coroutine.running in the main chunk and inside a coroutine.
local main, ismain = coroutine.running()
print("main", type(main), ismain)
local co
co = coroutine.create(function()
  local c, m = coroutine.running()
  print("inside", c == co, m)
end)
coroutine.resume(co)
