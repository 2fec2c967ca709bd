-- Functions returning different counts in different positions.
local function none() end
local function two() return 1, 2 end
print("none", none())
print("count", select("#", none()), select("#", two()), select("#", (two())))
local t = {two(), two()}
print("tbl", #t)
print("args", math.max(two()), string.format("%d %d", two()))
