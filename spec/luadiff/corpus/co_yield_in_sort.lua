-- A plain Lua loop inside a coroutine yields each element it visits.
local data = {5, 3, 8, 1}
local co = coroutine.wrap(function()
  table.sort(data)
  for i, v in ipairs(data) do coroutine.yield(i, v) end
end)
for i = 1, 4 do print("item", co()) end
