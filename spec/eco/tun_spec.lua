-- eco.socket's open_tun (run by TestTunSpec as root in a network namespace
-- of its own): packets the kernel routes to the interface are read from
-- it, and a packet written to it is answered by the kernel.
local socket = require 'eco.socket'
local packet = require 'eco.packet'

assert(not pcall(socket.open_tun, string.rep('x', 16)))

local tun, name = socket.open_tun('golua-tun0')
assert(tun, name)
assert(name == 'golua-tun0')
assert(math.type(tun:getfd()) == 'integer' and tun:getfd() > 2)
-- the name is taken by a TUN device: asking for a TAP one with it fails
local tap, terr = socket.open_tun('golua-tun0', { tap = true })
assert(tap == nil and terr == 'Invalid argument', terr)
local ok = os.execute('ip addr add 10.77.0.1/24 dev golua-tun0 && ip link set golua-tun0 up')
assert(ok == true or ok == 0, 'ip configuration failed')

-- kernel -> device: a UDP datagram to a neighbour leaves through the tun
local u = assert(socket.udp())
assert(u:sendto('through the tunnel', '10.77.0.2', 9999) == 18)
local pkt
for _ = 1, 20 do -- skip what else the kernel sends (IPv6 router solicitations...)
    pkt = assert(tun:read(2048, 2))
    if pkt:byte(1) >> 4 == 4 and pkt:byte(10) == socket.IPPROTO_UDP then break end
end
assert(pkt:byte(1) >> 4 == 4, 'not an IPv4 packet')
assert(socket.inet_ntop(socket.AF_INET, pkt:sub(17, 20)) == '10.77.0.2')
assert(pkt:sub(-18) == 'through the tunnel')
u:close()

-- device -> kernel: an ICMP echo request to 10.77.0.1 gets a reply back
local function ip_checksum(h)
    local sum = 0
    for i = 1, #h, 2 do sum = sum + h:byte(i) * 256 + h:byte(i + 1) end
    while sum > 0xffff do sum = (sum >> 16) + (sum & 0xffff) end
    return ~sum & 0xffff
end
local icmp = packet.icmp(socket.ICMP_ECHO, 0, 0x4242, 1, 'ping through tun', true)
local hdr = string.pack('>BBI2I2I2BBI2', 0x45, 0, 20 + #icmp, 1, 0, 64, socket.IPPROTO_ICMP, 0)
    .. socket.inet_pton(socket.AF_INET, '10.77.0.2') .. socket.inet_pton(socket.AF_INET, '10.77.0.1')
hdr = hdr:sub(1, 10) .. string.pack('>I2', ip_checksum(hdr)) .. hdr:sub(13)
assert(tun:send(hdr .. icmp) == 20 + #icmp)
local reply
for _ = 1, 20 do
    reply = assert(tun:read(2048, 2))
    if reply:byte(1) >> 4 == 4 and reply:byte(10) == socket.IPPROTO_ICMP then break end
end
local r = assert(packet.from_icmp(reply:sub(21)))
assert(r.type == socket.ICMP_ECHOREPLY and r.id == 0x4242 and r.data == 'ping through tun')

tun:close()
assert(tun:closed())
local n, err = tun:read(1, 0.1)
assert(n == nil and err == 'Bad file descriptor', err)

print('tun_spec ok')
