-- Spec: silly.sync.singleflight shares one run of fn among concurrent
-- callers with the same key, re-raises its error to all of them, and
-- caches nothing. Run with --fatal-errors.
local singleflight = require "silly.sync.singleflight"
local task = require "silly.task"
local time = require "silly.time"
local waitgroup = require "silly.sync.waitgroup"

local runs = {}
local sf = singleflight.new(function(key)
	runs[key] = (runs[key] or 0) + 1
	time.sleep(50)
	if key == "bad" then
		error("bad key " .. key)
	end
	return key .. "!", runs[key]
end)

local got = {}
local wg = waitgroup.new()
for i = 1, 4 do
	wg:fork(function()
		local v, n = sf:call("a")
		got[#got + 1] = v .. n
	end)
end
wg:fork(function()
	local v = sf:call("b")
	got[#got + 1] = v
end)
local errs = 0
for _ = 1, 3 do
	wg:fork(function()
		local ok, err = pcall(sf.call, sf, "bad")
		assert(not ok and tostring(err):find("bad key bad", 1, true), "error shared: " .. tostring(err))
		errs = errs + 1
	end)
end
wg:wait()
assert(runs.a == 1, "one run for four concurrent callers, got " .. runs.a)
assert(runs.b == 1 and runs.bad == 1, "other keys run once each")
assert(errs == 3, "every caller of the failing key got the error")
local a1 = 0
for _, v in ipairs(got) do
	if v == "a!1" then a1 = a1 + 1 end
end
assert(a1 == 4, "all callers got the shared results")
-- nothing cached: a later call runs again
local v, n = sf:call("a")
assert(v == "a!" and n == 2, "second call runs fn again")
-- nil and multiple results pass through
local multi = singleflight.new(function() return nil, 2, nil end)
local r = table.pack(multi:call({}))
assert(r.n == 3 and r[1] == nil and r[2] == 2, "results with nils")
print("singleflight ok")
