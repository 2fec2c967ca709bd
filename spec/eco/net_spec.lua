-- eco.net (ping) and eco.packet (ICMP). arg[1] is the port of the test's
-- DNS server (dns_test.go's zone); arg[2] is 'ping' when this process may
-- open ICMP sockets (net.ipv4.ping_group_range), else 'noping'.
local net = require 'eco.net'
local packet = require 'eco.packet'
local socket = require 'eco.socket'

local port = assert(tonumber(arg[1]))
local can_ping = arg[2] == 'ping'
local ns = { { '127.0.0.1', port } }

-- eco.packet: echo packets and their decoding
local p = packet.icmp(socket.ICMP_ECHO, 0, 0x1234, 7, 'payload', true)
assert(#p == 8 + 7 and p:byte(1) == 8)
local d = assert(packet.from_icmp(p))
assert(d.name == 'ICMP' and d.type == socket.ICMP_ECHO and d.code == 0)
assert(d.id == 0x1234 and d.sequence == 7 and d.data == 'payload')
assert(d.checksum ~= 0)
-- the checksum covers the packet: summing it with its checksum gives 0
local sum = 0
for i = 1, #p - 1, 2 do sum = sum + p:byte(i) * 256 + p:byte(i + 1) end
if #p % 2 == 1 then sum = sum + p:byte(#p) * 256 end
while sum > 0xffff do sum = (sum >> 16) + (sum & 0xffff) end
assert(sum == 0xffff, string.format('%x', sum))
assert(packet.from_icmp(packet.icmp(socket.ICMP_ECHO, 0, 1, 1)).checksum == 0)
local p6 = assert(packet.from_icmp6(packet.icmp6(socket.ICMPV6_ECHO_REPLY, 0, 9, 2, 'x')))
assert(p6.name == 'ICMPV6' and p6.type == 129 and p6.id == 9 and p6.sequence == 2 and p6.data == 'x')
local redirect = assert(packet.from_icmp('\5\1\0\0\10\0\0\1rest'))
assert(redirect.gateway == '10.0.0.1' and redirect.id == nil and redirect.data == 'rest')
local none, err = packet.from_icmp('short')
assert(none == nil and err == 'not a valid ICMP packet')
none, err = packet.from_icmp6('')
assert(none == nil and err == 'not a valid ICMPV6 packet')
assert(not pcall(packet.icmp, 3, 0, 0, 0))

-- eco.net: name resolution failures come back before any ICMP
local rtt
rtt, err = net.ping('nothere.test', { nameservers = ns })
assert(rtt == nil and err == 'resolve "nothere.test" fail: name error', err)
rtt, err = net.ping6('mail.lan', { nameservers = ns }) -- an A record only
assert(rtt == nil and err == 'resolve "mail.lan" fail: name error', err)

if can_ping then
    rtt, err = net.ping('127.0.0.1', { timeout = 2 })
    assert(type(rtt) == 'number' and rtt >= 0, err)
    rtt, err = net.ping('www.test', { nameservers = ns, timeout = 0.3 })
    -- 192.0.2.10 (TEST-NET-1) does not answer
    assert(rtt == nil and (err == 'timeout' or err == 'Network is unreachable'), err)
else
    rtt, err = net.ping('127.0.0.1', { timeout = 1 })
    assert(rtt == nil and err == 'Permission denied', err)
end

print('net_spec ok')
