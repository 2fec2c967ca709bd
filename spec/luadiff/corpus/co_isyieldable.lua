-- isyieldable inside and outside coroutines.
print("main", coroutine.isyieldable())
local co = coroutine.create(function()
  print("inside", coroutine.isyieldable())
end)
coroutine.resume(co)
