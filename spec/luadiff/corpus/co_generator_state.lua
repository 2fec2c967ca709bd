-- Several independent generators interleaved.
local function gen(prefix, n)
  return coroutine.wrap(function()
    for i = 1, n do coroutine.yield(prefix .. i) end
    return prefix .. "end"
  end)
end
local a, b = gen("a", 2), gen("b", 3)
print("i1", a(), b())
print("i2", a(), b())
print("i3", a(), b())
