-- __index as a function receives the table and the key.
local log = {}
local t = setmetatable({present = 1}, {__index = function(t, k)
  log[#log + 1] = tostring(k)
  return k .. "!"
end})
print("present", t.present)
print("absent", t.absent)
print("num", t[5])
print("log", table.concat(log, ","))
