-- Building a report with string functions.
local items = {{"widget", 4}, {"gadget", 10}, {"doohickey", 1}}
local lines = {}
for i, it in ipairs(items) do
  lines[#lines + 1] = string.format("%2d. %-10s x%03d", i, it[1], it[2])
end
print("report\n" .. table.concat(lines, "\n"))
print("upper", (table.concat(lines, ";"):gsub("%l", string.upper)))
