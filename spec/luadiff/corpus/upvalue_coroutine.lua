-- A coroutine shares upvalues with the function that created it.
local count = 0
local co = coroutine.wrap(function()
  for i = 1, 3 do
    count = count + i
    coroutine.yield(count)
  end
  return "done"
end)
print("y1", co(), count)
count = 100
print("y2", co(), count)
print("y3", co(), count)
print("end", co())
