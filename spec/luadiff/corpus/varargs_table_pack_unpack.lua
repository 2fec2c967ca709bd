-- table.pack / table.unpack round trip, with holes.
local function roundtrip(...)
  local p = table.pack(...)
  return table.unpack(p, 1, p.n)
end
print("rt", roundtrip("a", nil, "c"))
print("rt0", select("#", roundtrip()))
local p = table.pack()
print("empty", p.n, #p)
