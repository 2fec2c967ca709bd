-- Building and walking nested structures.
local tree = {value = 1, children = {
  {value = 2, children = {{value = 4, children = {}}}},
  {value = 3, children = {}},
}}
local function sum(node)
  local s = node.value
  for _, c in ipairs(node.children) do s = s + sum(c) end
  return s
end
local function depth(node)
  local d = 0
  for _, c in ipairs(node.children) do d = math.max(d, depth(c)) end
  return d + 1
end
print("sum", sum(tree), "depth", depth(tree))
