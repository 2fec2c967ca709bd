-- Changing the control variable does not change the iteration.
local seen = {}
for i = 1, 3 do
  seen[#seen + 1] = i
  local j = i
  j = j * 100
end
print("seen", table.concat(seen, ","))
local ok, err = pcall(load, "for i = 1, 2 do i = 5 end")
print("assign", ok)
