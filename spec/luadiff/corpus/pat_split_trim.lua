-- Common idioms: split and trim.
local function split(s, sep)
  local out = {}
  for piece in (s .. sep):gmatch("(.-)" .. sep:gsub("%p", "%%%0")) do out[#out + 1] = piece end
  return out
end
local parts = split("a,b,,c", ",")
print("split", #parts, table.concat(parts, "|"))
local function trim(s) return (s:gsub("^%s+", ""):gsub("%s+$", "")) end
print("trim", "[" .. trim("  padded  \t") .. "]")
print("rtrim", "[" .. ("x  "):match("^(.-)%s*$") .. "]")
