-- goto forward and backward.
local i = 1
::top::
if i <= 3 then
  print("iter", i)
  i = i + 1
  goto top
end
do
  goto skip
  print("never")
  ::skip::
end
print("done", i)
