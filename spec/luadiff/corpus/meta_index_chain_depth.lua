-- A long __index chain of tables.
local root = {deep = "found"}
local cur = root
for i = 1, 30 do
  cur = setmetatable({}, {__index = cur})
end
print("deep", cur.deep)
print("miss", cur.none)
