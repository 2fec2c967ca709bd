-- __index as a table: inheritance chain.
local Base = {greet = function(self) return "hello " .. self.name end, kind = "base"}
Base.__index = Base
local Derived = setmetatable({kind = "derived"}, Base)
Derived.__index = Derived
local obj = setmetatable({name = "obj"}, Derived)
print("greet", obj:greet())
print("kind", obj.kind)
print("missing", obj.nothing)
print("raw", rawget(obj, "kind"))
