-- %q output reads back as the same value.
local samples = {"plain", "with\nnewline", "quote\"s", "\0\1\2", "back\\slash", "\r\t\v", string.rep("x", 3) .. "\255"}
for i, s in ipairs(samples) do
  local back = load("return " .. string.format("%q", s))()
  print("rt" .. i, back == s, #s)
end
for _, n in ipairs({0, 1, -1, 123456789, math.mininteger}) do
  print("int", load("return " .. string.format("%q", n))() == n)
end
