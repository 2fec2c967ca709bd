-- Spec: the silly module (silly-api.md §1.4). Run with --fatal-errors.
local silly = require "silly"
local time = require "silly.time"

assert(silly.version == "0.7")
assert(type(silly.pid) == 'number' and silly.pid > 0)
assert(type(silly.gitsha1) == 'string')

-- genid counts up.
local a, b = silly.genid(), silly.genid()
assert(b == a + 1, 'genid')

-- pcall forwards the arguments and all results.
local r = { silly.pcall(function(x, y) return x + y, 'two' end, 1, 2) }
assert(r[1] == true and r[2] == 3 and r[3] == 'two' and #r == 3)
-- On error: false, "error: <msg>" followed by a traceback.
local ok, err = silly.pcall(function() error('boom') end)
assert(ok == false)
assert(err:find('^error: .-core_silly%.lua:%d+: boom'), err)
assert(err:find('stack traceback:', 1, true))
ok, err = silly.pcall(function() error({}) end)
assert(ok == false and err:find('^error: table'))
-- Blocking inside silly.pcall.
ok, err = silly.pcall(function(ms) time.sleep(ms) return 'slept' end, 5)
assert(ok and err == 'slept')

-- silly.error logs the message and a traceback (checked by the Go test).
silly.error('silly.error message')
print('core_silly ok')
