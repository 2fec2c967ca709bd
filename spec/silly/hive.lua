-- Spec: silly.hive runs blocking work in bees (VMs of their own) on a pool
-- of goroutines while the main VM goes on, copies values across, and
-- raises the bee's errors in the caller. Run with --fatal-errors.
local hive = require "silly.hive"
local hc = require "silly.hive.c"
local task = require "silly.task"
local time = require "silly.time"
local waitgroup = require "silly.sync.waitgroup"

local function eq(a, b, what)
	if a ~= b then
		error(string.format("%s: expected %s, got %s", what, tostring(b), tostring(a)), 2)
	end
end

local function fails(fn, pattern, what)
	local ok, err = pcall(fn)
	assert(not ok, what .. ": no error")
	assert(tostring(err):find(pattern, 1, true), what .. ": " .. tostring(err))
end

eq(hive.threads(), 0, "no thread before any invoke")
eq(hc.threads(), 0, "silly.hive.c sees the same pool")

-- spawn arguments and invoke arguments are copied in, results copied out.
local bee = hive.spawn([[
	local base, conf = ...
	return function(x, t)
		return base + x, conf.name .. t.suffix, {n = #t.list, nested = {deep = t.list[2]}}
	end
]], 10, {name = "bee"})
local sum, name, tbl = hive.invoke(bee, 5, {suffix = "-1", list = {"a", "b", "c"}})
eq(sum, 15, "number result")
eq(name, "bee-1", "string built from a spawn argument")
eq(tbl.n, 3, "table result")
eq(tbl.nested.deep, "b", "nested table result")

-- what cannot cross becomes nil; a cycle does not hang the copy
local probe = hive.spawn([[
	return function(f, cyc, flag)
		return type(f), type(cyc), type(cyc.self), flag
	end
]])
local cyc = {}
cyc.self = cyc
local tf, tc, tself, flag = hive.invoke(probe, print, cyc, false)
eq(tf, "nil", "a function crosses as nil")
eq(tc, "table", "a table crosses")
eq(tself, "nil", "a cycle is cut")
eq(flag, false, "false crosses as false")

-- the bee's state persists between calls, and is its own
counter = 100
local acc = hive.spawn([[
	local n = 0
	return function() n = n + 1; return n, counter end
]])
hive.invoke(acc)
local n, g = hive.invoke(acc)
eq(n, 2, "bee keeps its upvalues")
eq(g, nil, "bee has its own globals")

-- blocking work runs off the VM: the main VM keeps ticking meanwhile, and
-- two bees run at the same time.
hive.limit(2, 4)
local ticks = 0
local stop = false
task.fork(function()
	while not stop do
		time.sleep(20)
		ticks = ticks + 1
	end
end)
local sleeper = [[
	return function(s)
		os.execute("sleep " .. s)
		return s
	end
]]
local t0 = time.monotonic()
local wg = waitgroup.new()
for i = 1, 2 do
	wg:fork(function()
		eq(hive.invoke(hive.spawn(sleeper), "0.4"), "0.4", "sleeper " .. i)
	end)
end
wg:wait()
local took = time.monotonic() - t0
stop = true
assert(took < 750, "two bees in parallel took " .. took .. " ms")
assert(ticks >= 5, "main VM ticked only " .. ticks .. " times while bees slept")
assert(hive.threads() >= 2 and hive.threads() <= 4, "threads within limit: " .. hive.threads())

-- one bee runs one call at a time: two invokes of the same bee serialise
local slow = hive.spawn(sleeper)
t0 = time.monotonic()
wg = waitgroup.new()
for _ = 1, 2 do
	wg:fork(function() hive.invoke(slow, "0.2") end)
end
wg:wait()
took = time.monotonic() - t0
assert(took >= 390, "same bee calls overlapped: " .. took .. " ms")

-- error paths: each raises in the caller and the task goes on
fails(function() hive.spawn("return function(") end, "", "broken code")
fails(function() hive.spawn("return 42") end, "chunk code must return a function", "no function")
fails(function() hive.spawn("error('init $bad$')") end, "init $bad$", "error in the chunk")
local thrower = hive.spawn([[return function(x) error("$boom$" .. x) end]])
fails(function() hive.invoke(thrower, 7) end, "$boom$7", "error in the bee")
local tabler = hive.spawn([[return function() error({code = 5}) end]])
local ok, errv = pcall(hive.invoke, tabler)
assert(not ok and type(errv) == "table" and errv.code == 5, "an error table crosses by copy")
fails(function() hive.invoke({}) end, "silly.hive.worker", "not a bee")
fails(function() hive.limit(3, 1) end, "max must be greater than or equal to min", "limit min > max")
fails(function() hive.limit(0, 0) end, "max must be positive", "limit max 0")
fails(function() hive.spawn([[require "silly.time"]]) end, "cannot be used in hive worker", "silly.time in a bee")
local pure = hive.spawn([[local s = require "string"; return function(x) return s.upper(x) end]])
eq(hive.invoke(pure, "ok"), "OK", "non-silly modules load in a bee")
fails(function() hive.spawn([[require "no.such.module"]]) end, "no.such.module", "missing module in a bee")
local jsonbee = hive.spawn([[
	local json = require "silly.encoding.json"
	return function(t) return json.encode(t) end
]])
eq(hive.invoke(jsonbee, {1, 2}), "[1,2]", "whitelisted silly modules load in a bee")

-- prune keeps at least min threads
hive.prune()
assert(hive.threads() >= 2, "prune keeps min threads")
print("hive ok")
