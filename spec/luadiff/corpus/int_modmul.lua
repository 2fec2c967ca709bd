-- Modular multiplication and exponentiation with products beyond 2^53.
local M = 1000000007
local function powmod(b, e, m)
  local r = 1
  b = b % m
  while e > 0 do
    if e & 1 == 1 then r = (r * b) % m end
    b = (b * b) % m
    e = e >> 1
  end
  return r
end
print("pow", powmod(2, 1000000, M), powmod(3, M - 2, M), powmod(123456789, 987654321, M))
local a, b = 3037000499, 3037000493
print("mod", (a * b) % M, (a * b) % 4294967296, (a * b) % 10)
print("idiv", (a * b) // M, (-a * b) // M)
local h = 0
for i = 1, 100 do h = (h * 1000003 + i * i) % M end
print("poly", h)
