-- wrap as a generator in a for loop.
local function range(n)
  return coroutine.wrap(function()
    for i = 1, n do coroutine.yield(i) end
  end)
end
local out = {}
for v in range(5) do out[#out + 1] = v end
print("range", table.concat(out, ","))
local function chars(s)
  return coroutine.wrap(function()
    for c in s:gmatch(".") do coroutine.yield(c, c:byte()) end
  end)
end
for c, b in chars("abc") do print("char", c, b) end
