-- Spec: a script whose only task waits for a signal its own handler
-- turns into a message keeps running until the signal comes (silly never
-- ends a program on its own; golua-ws ends an idle one, and a script's
-- signal handler is what can wake it). The test sends SIGUSR2.
local signal = require "silly.signal"
local channel = require "silly.sync.channel"

local ch = channel.new()
signal("SIGUSR2", function(name) ch:push(name) end)
print("waiting for SIGUSR2")
print("got " .. ch:pop())
-- Removing the handler lets the program end once idle again.
signal("SIGUSR2", nil)
