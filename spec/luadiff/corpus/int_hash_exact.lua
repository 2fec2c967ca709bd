-- Hashes whose products pass 2^53 before the mask: FNV-1a, murmur3, 64-bit multiplicative hashing.
local function fnv1a(s)
  local h = 0x811c9dc5
  for i = 1, #s do
    h = ((h ~ s:byte(i)) * 0x01000193) & 0xffffffff
  end
  return h
end
print("fnv1a", fnv1a(""), fnv1a("a"), fnv1a("foobar"), fnv1a(("golua-ws"):rep(50)))
local function rotl32(x, r)
  return ((x << r) | (x >> (32 - r))) & 0xffffffff
end
local function fmix32(x)
  local h = x ~ (x >> 16)
  h = (h * 0x85ebca6b) & 0xffffffff
  h = h ~ (h >> 13)
  h = (h * 0xc2b2ae35) & 0xffffffff
  return h ~ (h >> 16)
end
local function murmur3(s, seed)
  local h = seed
  local n = #s - #s % 4
  for i = 1, n, 4 do
    local a, b, c, d = s:byte(i, i + 3)
    local k = (((a | b << 8 | c << 16 | d << 24) * 0xcc9e2d51) & 0xffffffff)
    k = (rotl32(k, 15) * 0x1b873593) & 0xffffffff
    h = (rotl32(h ~ k, 13) * 5 + 0xe6546b64) & 0xffffffff
  end
  local k = 0
  for i = #s, n + 1, -1 do
    k = (k << 8) | s:byte(i)
  end
  if k ~= 0 then
    k = (rotl32((k * 0xcc9e2d51) & 0xffffffff, 15) * 0x1b873593) & 0xffffffff
    h = h ~ k
  end
  return fmix32(h ~ #s)
end
print("rotl", rotl32(0xdeadbeef, 31), rotl32(0x87654321, 27), (0xfedcba98 << 31) & 0xFFFFFFFF)
print("fmix", fmix32(1), fmix32(0xdeadbeef), fmix32(123456789))
print("murmur", murmur3("", 0), murmur3("hello", 0), murmur3("hello, world", 42), murmur3("The quick brown fox", 7))
for _, x in ipairs({1, 12345, 0xdeadbeef}) do
  print("fib", x, (x * 0x9E3779B97F4A7C15) >> 11, ((x ~ (x >> 33)) * 0xff51afd7ed558ccd) >> 12)
end
for _, s in ipairs({1, 12345, 0x7fffffff}) do
  print("lcg64", (s * 6364136223846793005 + 1442695040888963407) >> 33)
end
