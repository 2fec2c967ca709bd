-- The until condition sees locals of the repeat body.
local n, fs = 0, {}
repeat
  n = n + 1
  local sq = n * n
  fs[n] = function() return sq end
until sq >= 16
print("n", n)
for k = 1, n do print("sq" .. k, fs[k]()) end
