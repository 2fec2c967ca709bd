-- error levels add the position of the right caller.
local function lvl1() error("one", 1) end
local function lvl2() error("two", 2) end
local function callsLvl2() lvl2() end
print("l1", pcall(lvl1))
print("l2", pcall(callsLvl2))
print("l0", pcall(function() error("zero", 0) end))
