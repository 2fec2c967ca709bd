-- goto continue inside a loop that creates closures.
local fs = {}
for i = 1, 6 do
  if i % 2 == 0 then goto continue end
  do
    local k = i
    fs[#fs + 1] = function() return k end
  end
  ::continue::
end
local out = {}
for n, f in ipairs(fs) do out[n] = f() end
print("odd", table.concat(out, " "))
