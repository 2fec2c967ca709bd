-- A formatted table of rows.
local rows = {{"apple", 3, 1.25}, {"banana", 12, 0.5}, {"cherry", 150, 10}}
for _, r in ipairs(rows) do
  print("row", string.format("%-8s|%4d|%7.2f", r[1], r[2], r[3]))
end
print("total", string.format("%-8s|%4d|", "sum", 3 + 12 + 150))
