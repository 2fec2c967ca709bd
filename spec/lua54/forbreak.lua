-- A generic for whose body starts with break, nested in other loops
-- (gopher-lua's jump threading left a stale jump after OP_TFORLOOP).
for i = 1, 2 do
  for _ in pairs({1}) do break end
  print("numeric outer", i)
end
local n = 0
while n < 2 do
  n = n + 1
  for _ in ipairs({1, 2}) do break end
  print("while outer", n)
end
for k in pairs({a = 1}) do
  for _ in pairs({1}) do break end
  print("generic outer", k)
end
for i = 1, 2 do
  for x in pairs({1}) do
    break
  end
  for y in pairs({5}) do
    print("second loop runs", i, y)
  end
end
local function f(t)
  for _ in pairs(t) do break end
  return "after"
end
print(f({1}), f({}))
-- a body that starts with a goto to the end of the body (continue)
local out = {}
for _, v in ipairs({1, 2, 3, 4}) do
  goto continue
  out[#out + 1] = v
  ::continue::
  out[#out + 1] = -v
end
print(table.concat(out, " "))
-- a body of only break in a nested generic for, repeated
local count = 0
for a = 1, 3 do
  for b = 1, 3 do
    for _ in pairs({1}) do break end
    count = count + 1
  end
end
print("count", count)
-- more shapes: a constant condition, an inner loop first, a label before
-- the break, a backward goto onto a label followed by break
for i = 1, 2 do
  for _ in pairs({1}) do if true then break end end
  print("if-true", i)
end
for i = 1, 2 do
  for _ in pairs({1}) do while true do break end break end
  print("inner-loop-first", i)
end
for i = 1, 2 do
  for _ in pairs({1}) do ::top:: break end
  print("label-break", i)
end
do
  local k = 0
  while k < 3 do
    k = k + 1
    if k == 2 then goto done end
  end
  ::done::
  print("k", k)
end
for i = 1, 2 do
  local tries = 0
  repeat
    tries = tries + 1
    if tries < 3 then goto again end
    break
    ::again::
  until false
  print("repeat-goto", i, tries)
end
local seen = {}
for _, v in ipairs({1, 2, 3}) do
  for _ in pairs({}) do break end
  for _ in pairs({1}) do break end
  seen[#seen + 1] = v
end
print("seen", table.concat(seen, ","))
