local function enc(len, n)
  n = len // n
  return n
end
print("enc", enc(300, 128))
local function varlen(len)
  local out = {}
  repeat
    local byte = len % 128
    len = len // 128
    if len > 0 then byte = byte | 0x80 end
    out[#out + 1] = byte
  until len == 0
  return table.concat(out, ",")
end
print("varlen", varlen(321), varlen(127), varlen(16384))
