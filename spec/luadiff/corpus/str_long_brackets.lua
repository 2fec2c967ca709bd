-- Long strings and comments.
local s = [[
first line
second]]
print("long", #s, s:sub(1, 5))
local t = [==[has ]] inside]==]
print("level", t)
--[[ a block
comment ]] print("after", "comment")
--[==[ another ]==]
print("done")
