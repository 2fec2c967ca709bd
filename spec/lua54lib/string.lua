-- string.rep with separator and string.format (Lua 5.4 conversions).
local function E(f, ...)
  local ok, err = pcall(f, ...)
  print(ok, (string.gsub(tostring(err), "^[^:]*:%d+: ", "")))
end

-- rep
print("rep", string.rep("ab", 3), string.rep("ab", 3, ","), string.rep("x", 1, ","), string.rep("x", 0, ","))
print("rep", string.rep("x", -1), string.rep("", 5, "-"), string.rep("", 3), ("x"):rep(3, ","), #string.rep("a", 70000))
print("rep", string.rep(12, 2, 3), string.rep("a", "2"))
E(function() return string.rep("x", 1.5) end)
E(function() return string.rep("x") end)
E(function() return string.rep("x", 2, {}) end)
E(function() return string.rep("x", 2^31) end)
E(function() return string.rep("ab", 2^30, ",") end)

-- format: integers
print(string.format("[%d] [%5d] [%-5d] [%05d] [%+d] [% d] [%.3d] [%i]", 42, 42, 42, 42, 42, 42, 7, -3))
print(string.format("[%x] [%X] [%#x] [%o] [%#o] [%x] [%#x]", 255, 255, 255, 8, 8, -1, 0))
print(string.format("[%c%c%c] [%5c] [%-3c]", 76, 117, 97, 65, 66))
print(string.format("[%d] [%d] [%x]", 3.0, -0.0, 2^53))
E(function() return string.format("%d", 3.5) end)
E(function() return string.format("%d", "3.5") end)
E(function() return string.format("%x", {}) end)
print(string.format("%d", "10"), string.format("%5.1f", "2.25"))

-- format: floats
print(string.format("[%f] [%.2f] [%10.3f] [%-10.1f] [%+.1f] [%e] [%.2E]", 1.5, 2.345, 3.14159, 2.5, 1, 12345.6789, 0.000123))
print(string.format("[%g] [%g] [%g] [%g] [%.3g] [%#.3g] [%G]", 0.1, 1e20, 100000, 1e-5, 2/3, 1, 1e-10))
print(string.format("[%a] [%A] [%.2a] [%a] [%a]", 1, 0.5, 1/3, -2.75, 0))
print(string.format("[%f] [%e] [%g] [%5.1f] [%-6f|] [%+f]", 1/0, -1/0, 1/0, -1/0, 1/0, 1/0))
print(string.format("%.14g", 2^53), string.format("%.0f", 0.5), string.format("%5.0f|", 2.5))

-- format: strings and others
print(string.format("[%s] [%10s] [%-10s] [%.2s] [%5.1s]", "abc", "abc", "abc", "abc", "abc"))
print(string.format("[%s] [%s] [%s]", nil, true, 12))
local obj = setmetatable({}, {__tostring = function() return "OBJ" end})
print(string.format("[%s] [%6s]", obj, obj))
print(string.format("%s", string.rep("y", 120)) == string.rep("y", 120), #string.format("%-5s", string.rep("z", 120)))
print(string.format("%p", nil), string.format("%p", 1), string.format("%p", true), string.format("%p", {}) ~= string.format("%p", {}))
local t = {}
print(string.format("%p", t) == string.format("%p", t))
E(function() return string.format("%10s", "a\0b") end)
print(#string.format("%s", "a\0b"))

-- format: %q
print(string.format("%q", 'he said "hi"\n\\ \0 \0001 \r \127 \200'))
print(string.format("%q %q %q %q", 1, -7, 0, math.mininteger))
print(string.format("%q %q %q %q", 0.5, -2.75, 1/0, -1/0))
print(string.format("%q %q %q", nil, true, false), string.format("%q", 0/0))
E(function() return string.format("%q", {}) end)
E(function() return string.format("%10q", "x") end)

-- format: errors
E(function() return string.format("%d") end)
E(function() return string.format("%d %d", 1) end)
E(function() return string.format("%y", 1) end)
E(function() return string.format("%", 1) end)
E(function() return string.format("%100d", 1) end)
E(function() return string.format("%.100f", 1) end)
E(function() return string.format("%#d", 1) end)
E(function() return string.format("%-+ #0-+ #0-+ #0-+ #0-+ #0d", 1) end)
E(function() return string.format("%ld", 1) end)
E(function() return string.format("%.3c", 65) end)
print(string.format("%%|%s|%%", "x"))
E(function() return string.format("%5%") end)
