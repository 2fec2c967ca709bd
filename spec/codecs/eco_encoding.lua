-- eco.encoding.base64 and eco.encoding.hex, after lua-eco tests/base64-test.lua.
local base64 = require 'eco.encoding.base64'
local hex = require 'eco.encoding.hex'

local vectors = {
    { '', '' }, { 'f', 'Zg==' }, { 'fo', 'Zm8=' }, { 'foo', 'Zm9v' },
    { 'foob', 'Zm9vYg==' }, { 'fooba', 'Zm9vYmE=' }, { 'foobar', 'Zm9vYmFy' },
}
for i = 1, #vectors do
    assert(base64.encode(vectors[i][1]) == vectors[i][2], 'encode vector ' .. i)
    local raw, err = base64.decode(vectors[i][2])
    assert(raw == vectors[i][1], err or ('decode vector ' .. i))
end

local bin = string.char(0, 1, 2, 3, 254, 255) .. 'eco' .. string.char(0)
assert(base64.decode(base64.encode(bin)) == bin)
assert(base64.encode(10) == 'MTA=')

local out, err = base64.decode('abc')
assert(out == nil and err == 'input is malformed')
out, err = base64.decode('ab#=')
assert(out == nil and err == 'input is malformed')
out, err = base64.decode('ab\n=')
assert(out == nil and err == 'input is malformed')
out, err = base64.decode('Zg==Zm9v')  -- padding only at the end (lua-eco 4.1.3)
assert(out == nil and err == 'input is malformed')

local ok, msg = pcall(base64.encode, {})
assert(not ok and msg:find("bad argument #1 to 'encode' (string expected, got table)", 1, true), msg)
ok, msg = pcall(base64.decode, {})
assert(not ok and msg:find("bad argument #1 to 'decode' (string expected, got table)", 1, true), msg)

assert(hex.encode('\0\1\171\255') == '0001abff')
assert(hex.encode('\0\1\171\255', ':') == '00:01:ab:ff')
assert(hex.decode('0001ABff') == '\0\1\171\255')
out, err = hex.decode('abc')
assert(out == nil and err == 'input is malformed')
out, err = hex.decode('zz')
assert(out == nil and err == 'input is malformed')
assert(hex.dump('abc') == '00000000 61 62 63 ' .. string.rep(' ', 40) .. ' |abc\n')
