-- A small class hierarchy with super calls.
local Animal = {}
Animal.__index = Animal
function Animal.new(name, sound) return setmetatable({name = name, sound = sound}, Animal) end
function Animal:speak() return self.name .. " says " .. self.sound end
local Dog = setmetatable({}, {__index = Animal})
Dog.__index = Dog
function Dog.new(name) local d = Animal.new(name, "woof"); return setmetatable(d, Dog) end
function Dog:speak() return Animal.speak(self) .. "!" end
function Dog:fetch() return self.name .. " fetches" end
local d = Dog.new("rex")
print("speak", d:speak())
print("fetch", d:fetch())
print("animal", Animal.new("cat", "meow"):speak())
print("isdog", getmetatable(d) == Dog)
