-- The main chunk is a vararg function: with no arguments ... is empty.
print("main", select("#", ...))
local t = {...}
print("len", #t)
