-- Matching UTF-8 characters with charpattern.
local n, chars = 0, {}
for ch in ("añb€"):gmatch(utf8.charpattern) do n = n + 1; chars[n] = #ch end
print("chars", n, table.concat(chars, ","))
local rev = {}
for _, c in utf8.codes("abç") do table.insert(rev, 1, utf8.char(c)) end
print("rev", table.concat(rev))
