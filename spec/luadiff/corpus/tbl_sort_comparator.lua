-- table.sort with comparators: descending, by field, stable tiebreak.
local n = {5, 2, 9, 1, 6}
table.sort(n, function(a, b) return a > b end)
print("desc", table.concat(n, ","))
local people = {{name = "ann", age = 30}, {name = "bob", age = 25}, {name = "cy", age = 30}, {name = "di", age = 20}}
table.sort(people, function(a, b)
  if a.age ~= b.age then return a.age < b.age end
  return a.name < b.name
end)
for i, p in ipairs(people) do print("person", i, p.name, p.age) end
