-- Spec: silly.signal (silly-api.md §1.9). The Go test sends SIGUSR1 and
-- then SIGINT once "ready" is printed.
local signal = require "silly.signal"
local time = require "silly.time"
assert(type(signal) == 'function', 'the module is a function')
assert(signal("SIGNOPE", function() end) == nil, 'unknown signal')
local h1 = function(name) print('first handler ' .. name) end
assert(signal("SIGUSR1", h1) == nil)
local old = signal("SIGUSR1", function(name)
    print('got ' .. name)
    time.sleep(1) -- the handler runs in a task and may block
    print('handler done')
end)
assert(old == h1, 'signal returns the previous handler')
print('ready')
time.sleep(20000) -- SIGINT ends the program with status 0
print('not reached')
