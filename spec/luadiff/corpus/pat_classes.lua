-- Character classes and their complements.
local s = "aB3 _\t.!"
for _, c in ipairs({"%a", "%A", "%d", "%l", "%u", "%s", "%w", "%p", "%x", "%c", "%g"}) do
  print("class", c, (s:gsub(c, "#")))
end
print("set", ("hello123"):gsub("[%d]", "N"))
print("negset", ("hello123"):gsub("[^%d]", "L"))
print("range", ("abcxyz"):gsub("[b-y]", "-"))
