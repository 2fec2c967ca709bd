-- eco.net's ping over real ICMP sockets (run by TestNetPingSpec where ICMP
-- sockets are allowed): loopback answers, a reply carries our identifier.
local net = require 'eco.net'

local rtt, err = net.ping('127.0.0.1', { timeout = 2, data = 'golua-ws' })
assert(type(rtt) == 'number' and rtt >= 0 and rtt < 2, err)
rtt, err = net.ping6('::1', { timeout = 2 })
assert(type(rtt) == 'number' and rtt >= 0 and rtt < 2, err)
-- nothing routes to TEST-NET-1 from an isolated namespace
rtt, err = net.ping('192.0.2.1', { timeout = 0.2 })
assert(rtt == nil and (err == 'timeout' or err == 'Network is unreachable'), err)

print('net_ping_spec ok')
