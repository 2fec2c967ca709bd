-- The %f frontier pattern.
print("f1", ("THE (quick) fox"):find("%f[%a]%a+%f[%A]"))
local words = {}
for w in ("THE (quick) fox"):gmatch("%f[%a]%a+") do words[#words + 1] = w end
print("words", table.concat(words, ","))
print("gsub", ("the cat the hat"):gsub("%f[%w]the%f[%W]", "a"))
print("end", ("abc"):find("%f[%z]"))
