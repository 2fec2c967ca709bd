-- ipairs stops at the first nil and honours __index.
local t = {1, 2, nil, 4}
local n = 0
for i, v in ipairs(t) do n = i end
print("stop", n)
local proxy = setmetatable({}, {__index = function(_, i) if i <= 3 then return i * 10 end end})
local out = {}
for i, v in ipairs(proxy) do out[#out + 1] = v end
print("proxy", table.concat(out, ","))
