-- Numeric for loops with steps.
local function run(a, b, c)
  local out = {}
  for i = a, b, c do out[#out + 1] = i end
  return table.concat(out, ",")
end
print("up", run(1, 5, 1))
print("step2", run(1, 10, 3))
print("down", run(5, 1, -2))
print("none", run(5, 1, 1))
print("neg", run(-3, 3, 2))
print("zero", pcall(run, 1, 5, 0))
