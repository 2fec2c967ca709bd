-- gcd and a prime sieve.
local function gcd(a, b) while b ~= 0 do a, b = b, a % b end return a end
print("gcd", gcd(48, 18), gcd(17, 5), gcd(0, 9))
local sieve, primes = {}, {}
for i = 2, 60 do
  if not sieve[i] then
    primes[#primes + 1] = i
    for j = i * i, 60, i do sieve[j] = true end
  end
end
print("primes", table.concat(primes, " "))
