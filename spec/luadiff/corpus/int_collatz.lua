-- Integer-only loop: Collatz lengths.
local function collatz(n)
  local steps = 0
  while n ~= 1 do
    if n % 2 == 0 then n = n // 2 else n = 3 * n + 1 end
    steps = steps + 1
  end
  return steps
end
for _, n in ipairs({1, 7, 27, 97, 871}) do print("collatz", n, collatz(n)) end
