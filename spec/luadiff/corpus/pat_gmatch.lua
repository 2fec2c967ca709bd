-- gmatch over words, pairs and with anchor.
local words = {}
for w in ("one two  three"):gmatch("%a+") do words[#words + 1] = w end
print("words", table.concat(words, "|"))
for k, v in ("a=1, b=2, c=3"):gmatch("(%w+)=(%w+)") do print("pair", k, v) end
local n = 0
for _ in ("aaa"):gmatch("") do n = n + 1 end
print("empty", n)
local pos = {}
for p in ("abab"):gmatch("()b") do pos[#pos + 1] = p end
print("pos", table.concat(pos, ","))
