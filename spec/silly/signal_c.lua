-- Spec: silly.signal.c and silly.signal's defaults. Run with
-- --fatal-errors; sends itself SIGUSR2 with kill(1).
local signal = require "silly.signal"
local signalc = require "silly.signal.c"
local silly = require "silly"
local channel = require "silly.sync.channel"

local map = signalc.signalmap()
assert(map.SIGINT == 2 and map[2] == "SIGINT", "map both ways")
assert(map.SIGUSR2 and map[map.SIGUSR2] == "SIGUSR2", "SIGUSR2 listed")
assert(type(signalc.FIRE) == "number", "FIRE constant")
assert(signalc.signal(1024) == "Invalid argument", "large signum refused")
assert(signalc.signal(-1) == "Invalid argument", "negative signum refused")
assert(signalc.signal(map.SIGKILL) == "Operation not supported", "SIGKILL cannot be watched")
assert(signalc.signal(map.SIGUSR2) == nil, "SIGUSR2 watched")
assert(not pcall(signal, "SIGKILL", function() end), "silly asserts on a signal it cannot watch")

local old = signal("SIGINT", function() end)
assert(type(old) == "function", "loading silly.signal installed a SIGINT handler")

local ch = channel.new()
assert(signal("SIGUSR2", function(name) ch:push(name) end) == nil, "no previous handler")
os.execute("kill -USR2 " .. silly.pid)
assert(ch:pop() == "SIGUSR2", "handler called with the name")
-- A script's handler keeps the program alive; removing it lets it end.
assert(signal("SIGUSR2", nil) ~= nil, "previous handler returned")
signal("SIGINT", old)
signal("SIGINT", old)
print("signal_c ok")
