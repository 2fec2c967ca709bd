-- Catching and rethrowing keeps the value; level 0 keeps positions out.
local function try(f) local ok, e = pcall(f) if not ok then error(e, 0) end end
print("re", pcall(try, function() error("orig", 0) end))
local okt, et = pcall(try, function() error({n = 1}) end)
print("tbl", okt, type(et), et.n)
local ok, e = pcall(try, function() error("with pos") end)
print("pos", ok, e)
