-- Spec: the eco module (eco-api.md §1.2-1.5). Run with --fatal-errors.
local eco = require 'eco'

local function errmsg(f, ...)
    local ok, err = pcall(f, ...)
    assert(not ok, 'expected an error')
    return tostring(err)
end

-- The global eco is the module, as under the eco interpreter.
assert(eco == _G.eco, 'global eco is require("eco")')
assert(package.loaded.eco == eco)

-- Constants (§1.4).
assert(eco.VERSION == '4.1.3', eco.VERSION)
assert(eco.VERSION_MAJOR == 4 and eco.VERSION_MINOR == 1 and eco.VERSION_PATCH == 3)
assert(math.floor(eco.VERSION_MAJOR) == eco.VERSION_MAJOR)
assert(eco.READ == 1 and eco.WRITE == 4)

-- The main chunk is a counted task.
assert(eco.count() == 1, 'count at top is ' .. eco.count())

-- Ordering (§1.3): run starts at once; sleep(0) goes behind ready tasks.
local order = {}
eco.run(function() order[#order + 1] = 'a1'; eco.sleep(0); order[#order + 1] = 'a2' end)
eco.run(function() order[#order + 1] = 'b1'; eco.sleep(0); order[#order + 1] = 'b2' end)
order[#order + 1] = 'main'
eco.sleep(0)
assert(table.concat(order, ' ') == 'a1 b1 main a2 b2', table.concat(order, ' '))

-- run returns the thread, already dead when f never blocked; extra args
-- reach f; f's results are dropped.
local got
local co = eco.run(function(a, b) got = a .. b; return 'ignored' end, 'x', 'y')
assert(type(co) == 'thread', type(co))
assert(got == 'xy')
assert(coroutine.status(co) == 'dead', coroutine.status(co))

-- count and all include a parked task, and drop it once finished.
local parked = eco.run(function() eco.sleep(0.05) end)
assert(eco.count() == 2, 'count with one sleeper ' .. eco.count())
local found = false
for _, th in ipairs(eco.all()) do
    if th == parked then found = true end
end
assert(found, 'eco.all() includes the sleeping task')
eco.sleep(0.08)
assert(eco.count() == 1, 'count after the sleeper ended ' .. eco.count())

-- sleep: seconds, fractional, returns nothing.
local t0 = os.time()
assert(select('#', eco.sleep(0.01)) == 0)

-- Argument errors (§1.4, E6).
assert(errmsg(eco.run, 1):find("bad argument #1 to 'eco.run' (function expected, got number)", 1, true))
assert(errmsg(eco.run):find("function expected, got no value", 1, true))
assert(errmsg(eco.sleep, -1):find('delay must be greater than or equal to 0', 1, true))
assert(errmsg(eco.sleep, 'x'):find('number expected', 1, true))
assert(errmsg(eco.set_panic_hook, 1):find('function expected', 1, true))
assert(errmsg(eco.set_watchdog_timeout, -1):find('range', 1, true))
assert(errmsg(eco.set_watchdog_timeout, 5001):find('timeout must be in range [0, 5000]', 1, true))
assert(errmsg(eco.set_watchdog_timeout, 'x'):find('number expected', 1, true))
eco.set_watchdog_timeout(0)
eco.set_watchdog_timeout(5000)
eco.set_panic_hook(function() end)
eco.set_panic_hook(nil)

-- An explicit loop runs until nothing else can run, then returns nothing.
local loop_done = false
eco.run(function() eco.sleep(0.02); loop_done = true end)
assert(select('#', eco.loop()) == 0)
assert(loop_done, 'eco.loop() returned before the pending task finished')

-- Blocking at top level works, and the main chunk may return early.
eco.sleep(0)
print('core_eco ok')
do return end
error('not reached')
