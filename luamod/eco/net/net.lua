-- eco.net for golua-ws: ping and ping6 (lua-eco's API), written for this
-- project over eco.socket, eco.packet, eco.time and eco.dns.

local socket = require 'eco.socket'
local packet = require 'eco.packet'
local time = require 'eco.time'
local dns = require 'eco.dns'

local M = {}

-- Per IP version: how to recognise an address, which record to ask for,
-- which socket to open and which ICMP types to send and expect.
local v4 = {
    is_ip = function(s) return socket.is_ipv4_address(s) end,
    qtype = function() return dns.TYPE_A end,
    open = function() return socket.icmp() end,
    build = function(...) return packet.icmp(...) end,
    parse = function(d) return packet.from_icmp(d) end,
    request = function() return socket.ICMP_ECHO end,
    reply = function() return socket.ICMP_ECHOREPLY end,
}

local v6 = {
    is_ip = function(s) return socket.is_ipv6_address(s) end,
    qtype = function() return dns.TYPE_AAAA end,
    open = function() return socket.icmp6() end,
    build = function(...) return packet.icmp6(...) end,
    parse = function(d) return packet.from_icmp6(d) end,
    request = function() return socket.ICMPV6_ECHO_REQUEST end,
    reply = function() return socket.ICMPV6_ECHO_REPLY end,
}

local function resolve(host, opts, ver)
    if ver.is_ip(host) then
        return host
    end
    local want = ver.qtype()
    local answers, err = dns.query(host, {
        type = want, mark = opts.mark, device = opts.device, nameservers = opts.nameservers,
    })
    if not answers then
        return nil, string.format('resolve "%s" fail: %s', host, err)
    end
    for _, a in ipairs(answers) do
        if a.type == want then
            return a.address
        end
    end
    return nil, string.format('resolve "%s" fail: not found', host)
end

local function ping(host, opts, ver)
    opts = opts or {}
    local ip, err = resolve(host, opts, ver)
    if not ip then
        return nil, err
    end

    local s
    s, err = ver.open()
    if not s then
        return nil, err
    end
    if opts.device then
        s:setoption('bindtodevice', opts.device)
    end
    if opts.mark then
        s:setoption('mark', opts.mark)
    end

    -- On an ICMP socket the bound "port" is the echo identifier: the
    -- kernel writes it into the request and routes replies by it.
    local id = math.random(0, 65535)
    s:bind(nil, id)

    local _, serr = s:sendto(ver.build(ver.request(), 0, 0, 1, opts.data or 'hello'), ip, 0)
    if serr then
        if s.close then s:close() end
        return nil, serr
    end

    local sent_at = time.now()
    local data, from = s:recvfrom(1024, opts.timeout or 5.0)
    if s.close then s:close() end
    if not data then
        return nil, from
    end

    local reply = ver.parse(data)
    if reply.type ~= ver.reply() then
        return nil, 'unexpected type ICMP ' .. reply.type
    end
    if reply.id ~= id then
        return nil, string.format('unexpected icmp id: got %d, expected %d', reply.id, id)
    end
    return time.now() - sent_at
end

--- ping(host, opts): round-trip time in seconds of one ICMP echo, or nil
-- and an error. opts: timeout (5), data ('hello'), mark, device,
-- nameservers (for resolving host).
function M.ping(host, opts)
    return ping(host, opts, v4)
end

--- ping6(host, opts): ping over ICMPv6.
function M.ping6(host, opts)
    return ping(host, opts, v6)
end

return M
