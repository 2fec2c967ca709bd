-- Spec: silly.compress.gzip, .lz4 and .snappy. $CODEC_DIR holds text.txt,
-- its gzip by Go (go.gz) and, when the gzip command exists, by it
-- (cli.gz); the script writes lua.gz for the Go test to read back.
-- Run with --fatal-errors; prints "codec_compress ok".
local gzip = require "silly.compress.gzip"
local lz4 = require "silly.compress.lz4"
local snappy = require "silly.compress.snappy"
local dir = assert(os.getenv("CODEC_DIR"), "CODEC_DIR not set")

local function read(name)
	local f = io.open(dir .. "/" .. name, "rb")
	if not f then return nil end
	local s = f:read("a")
	f:close()
	return s
end
local function raises(want, f, ...)
	local ok, err = pcall(f, ...)
	assert(not ok and tostring(err):find(want, 1, true), tostring(err))
end

local samples = { "", "a", "hello world", string.rep("abc", 10000), "\0\1\2\255", "汉字🙂" }
local noise = {}
for i = 1, 4096 do noise[i] = string.char((i * 7919 + i // 3) % 256) end
samples[#samples + 1] = table.concat(noise)

-- gzip: round trips, a real gzip header, interop both ways.
for i, s in ipairs(samples) do
	local z = assert(gzip.compress(s))
	assert(z:byte(1) == 0x1f and z:byte(2) == 0x8b and z:byte(3) == 8, "gzip magic and deflate")
	assert(gzip.decompress(z) == s, "gzip round trip #" .. i)
end
assert(#gzip.compress(string.rep("x", 1 << 20)) < 4096)
local text = assert(read("text.txt"))
assert(gzip.decompress(read("go.gz")) == text, "compress/gzip output")
if read("cli.gz") then
	assert(gzip.decompress(read("cli.gz")) == text, "gzip command output")
end
local out = assert(io.open(dir .. "/lua.gz", "wb"))
out:write(gzip.compress(text))
out:close()
-- only the first member is read, as zlib's inflate does
assert(gzip.decompress(gzip.compress("one") .. gzip.compress("two")) == "one")
-- not gzip: nil, err; truncated: what was decoded so far, as silly's zlib loop
local d, err = gzip.decompress("not a valid stream")
assert(d == nil and err == "inflate failed: -3", tostring(err))
d, err = gzip.decompress("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage-deflate")
assert(d == nil and err == "inflate failed: -3", tostring(err))
local big = string.rep("0123456789", 1000)
local cut = gzip.decompress(gzip.compress(big):sub(1, -9)) -- no trailer
assert(cut == big, "a stream missing its trailer still decodes")
assert(gzip.decompress("") == "")
raises("bad argument #1 to 'compress' (string expected, got table)", gzip.compress, {})
raises("bad argument #1 to 'decompress' (string expected, got no value)", gzip.decompress)

-- lz4 (block format): the original size is the caller's to keep.
for i, s in ipairs(samples) do
	local z = assert(lz4.compress(s))
	assert(#z > 0)
	assert(lz4.decompress(z, #s) == s, "lz4 round trip #" .. i)
end
assert(#lz4.compress(string.rep("x", 1 << 20)) < 8192)
-- a literal-only block written by hand: token 0x50 = 5 literals
assert(lz4.decompress("\x50hello", 5) == "hello")
assert(lz4.decompress("\x50hello", 100) == "hello", "the size is a bound")
d, err = lz4.decompress("not valid", 100)
assert(d == nil and err == "lz4_decompress failed: -1", tostring(err))
d, err = lz4.decompress(lz4.compress(big), 10)
assert(d == nil and err, "a size too small fails")
d, err = lz4.decompress("x", -1)
assert(d == nil and err == "Invalid original_size")
assert(lz4.decompress("anything", 0) == "")
raises("bad argument #2 to 'decompress' (number expected, got no value)", lz4.decompress, "x")

-- snappy (block format): a varint length, then elements.
for i, s in ipairs(samples) do
	assert(snappy.decompress(assert(snappy.compress(s))) == s, "snappy round trip #" .. i)
end
assert(snappy.decompress("\x05\x10hello") == "hello")
assert(snappy.compress("hello") == "\x05\x10hello")
d, err = snappy.decompress("not a valid stream")
assert(d == nil and err == "snappy_uncompress failed: 1", tostring(err))
d, err = snappy.decompress("\xff\xff\xff\xff\xff\xff")
assert(d == nil and err == "snappy_uncompressed_length failed: 1", tostring(err))
print("codec_compress ok")
