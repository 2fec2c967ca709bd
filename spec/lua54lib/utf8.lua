-- utf8 library (Lua 5.4), Lua 5.1 syntax: strings use decimal escapes.
local function E(f, ...)
  local ok, err = pcall(f, ...)
  print(ok, (string.gsub(tostring(err), "^[^:]*:%d+: ", "")))
end
local function hex(s)
  return (string.gsub(s, ".", function(c) return string.format("%02X", string.byte(c)) end))
end

-- char
print("char", hex(utf8.char(72, 228, 8364, 128512)), utf8.char() == "")
print("char", hex(utf8.char(0x7FFFFFFF)), hex(utf8.char(0x10FFFF, 0xD800)))
E(function() return utf8.char(0x80000000) end)
E(function() return utf8.char(-1) end)
E(function() return utf8.char(65, "x") end)
E(function() return utf8.char(1.5) end)

-- charpattern
print("charpattern", hex(utf8.charpattern))
local s = "h\195\164\226\130\172!"  -- "hä€!"
local parts = {}
for c in string.gmatch(s, utf8.charpattern) do parts[#parts + 1] = hex(c) end
print("gmatch", table.concat(parts, " "))

-- len
print("len", utf8.len(s), utf8.len(""), utf8.len(s, 2), utf8.len(s, 4), utf8.len(s, -1), utf8.len(s, 1, -2))
print("len invalid", utf8.len("ab\255cd"), utf8.len("\228\189"), utf8.len("x\192\128"))
print("len strict", utf8.len("\237\160\128"), utf8.len("\237\160\128", 1, -1, true))
print("len big", utf8.len("\244\144\128\128"), utf8.len("\244\144\128\128", 1, -1, true))
print("len cont", utf8.len(s, 3))
print("len empty range", utf8.len(s, 8), utf8.len("abc", 4))
E(function() return utf8.len(s, 9) end)
E(function() return utf8.len(s, 0) end)
E(function() return utf8.len(s, 1, 9) end)
E(function() return utf8.len() end)

-- codepoint
print("codepoint", utf8.codepoint(s), utf8.codepoint(s, 2), utf8.codepoint(s, 1, -1))
print("codepoint", select("#", utf8.codepoint(s, 3, 2)), utf8.codepoint(s, -1))
print("codepoint lax", utf8.codepoint("\237\160\128", 1, 1, true), utf8.codepoint("\253\191\191\191\191\191", 1, 1, true))
E(function() return utf8.codepoint(s, 3) end)
E(function() return utf8.codepoint("\237\160\128") end)
E(function() return utf8.codepoint(s, 0) end)
E(function() return utf8.codepoint(s, 1, 9) end)
E(function() return utf8.codepoint("\255") end)

-- offset
print("offset", utf8.offset(s, 1), utf8.offset(s, 2), utf8.offset(s, 3), utf8.offset(s, 4), utf8.offset(s, 5), utf8.offset(s, 6))
print("offset neg", utf8.offset(s, -1), utf8.offset(s, -2), utf8.offset(s, -4), utf8.offset(s, -5))
print("offset zero", utf8.offset(s, 0, 3), utf8.offset(s, 0, 5), utf8.offset(s, 0, 6), utf8.offset(s, 0, 8))
print("offset from", utf8.offset(s, 2, 2), utf8.offset(s, -1, 4), utf8.offset("", 1), utf8.offset("", -1))
E(function() return utf8.offset(s, 1, 3) end)
E(function() return utf8.offset(s, 1, 10) end)
E(function() return utf8.offset(s, 1, 0) end)
E(function() return utf8.offset(s) end)

-- codes
local out = {}
for p, c in utf8.codes(s) do out[#out + 1] = p .. ":" .. c end
print("codes", table.concat(out, " "))
out = {}
for p, c in utf8.codes("") do out[#out + 1] = p end
print("codes empty", #out)
out = {}
for p, c in utf8.codes("\237\160\128a", true) do out[#out + 1] = p .. ":" .. c end
print("codes lax", table.concat(out, " "))
E(function() for p, c in utf8.codes("ab\255") do end end)
E(function() for p, c in utf8.codes("\237\160\128") do end end)
E(function() for p, c in utf8.codes("a\228") do end end)
E(function() return utf8.codes(nil) end)
