-- __call makes a table callable; extra arguments follow the table.
local callable = setmetatable({name = "c"}, {__call = function(self, a, b)
  return self.name .. ":" .. tostring(a) .. ":" .. tostring(b)
end})
print("call", callable(1, 2))
print("call1", callable("x"))
print("pcall", pcall(callable, "p", "q"))
local mt = {__call = function(self, ...) return select("#", ...) end}
print("count", setmetatable({}, mt)(nil, nil, nil))
