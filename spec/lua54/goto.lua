-- goto and labels with Lua 5.4 scoping
for i = 1, 3 do
  for j = 1, 3 do
    if j == 2 then goto next_i end
    print(i, j)
  end
  ::next_i::
end
-- continue idiom with a local before the label at the end of the block
for i = 1, 4 do
  local odd = i % 2 == 1
  if odd then goto continue end
  print("even", i)
  ::continue::
end
-- backward goto as a loop; each iteration gets a fresh local
local fns = {}
do
  local i = 1
  ::top::
  local v = i * 10
  fns[i] = function() return v end
  i = i + 1
  if i <= 3 then goto top end
end
print(fns[1](), fns[2](), fns[3]())
-- a goto leaves a block: captured locals of enclosing scopes stay shared
local counter = 0
local function inc() counter = counter + 1 end
for k = 1, 3 do
  if k == 2 then goto skip end
  inc()
  ::skip::
end
inc()
print(counter)
-- nested functions do not see outer labels
print(load("::l:: local function f() goto l end", "=src"))
local function check(src)
  local fn, err = load(src, "=src")
  print(fn and "compiled" or err)
end
check("goto nowhere")
check("do ::a:: end goto a")
check("goto f; local x; ::f:: print(x)")
check("do goto f; local x; ::f:: end")          -- label at block end: allowed
check("::a:: ::a::")
check("::a:: do ::a:: end")
check("repeat goto f; local x; ::f:: until x")  -- until sees x: not at block end
check("break")
check("for i=1,2 do end break")
check("if x then break end")
-- label at the end of a repeat body is not outside the body's locals
check("repeat local x; goto e; ::e:: until true")
