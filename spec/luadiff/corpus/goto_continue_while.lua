-- continue in while and repeat loops via goto.
local i, evens = 0, {}
while i < 10 do
  i = i + 1
  if i % 2 == 1 then goto cont end
  evens[#evens + 1] = i
  ::cont::
end
print("evens", table.concat(evens, ","))
local n, odds = 0, {}
repeat
  n = n + 1
  if n % 2 == 0 then goto next end
  odds[#odds + 1] = n
  ::next::
until n >= 9
print("odds", table.concat(odds, ","))
