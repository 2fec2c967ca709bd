-- eco.dns against a real DNS server on 127.0.0.1 (port in arg[1]; see
-- dns_test.go for its zone).
local dns = require 'eco.dns'
local eco = require 'eco'

local port = assert(tonumber(arg[1]), 'port argument')
local ns = { { '127.0.0.1', port } }

local function q(name, typ, extra)
    local opts = { type = typ, nameservers = ns }
    for k, v in pairs(extra or {}) do
        opts[k] = v
    end
    return dns.query(name, opts)
end

-- constants and type_name
assert(dns.TYPE_A == 1 and dns.TYPE_AAAA == 28 and dns.TYPE_SRV == 33 and dns.CLASS_IN == 1)
assert(dns.SECTION_AN == 1 and dns.SECTION_NS == 2 and dns.SECTION_AR == 3)
assert(dns.type_name(dns.TYPE_SOA) == 'SOA' and dns.type_name(dns.TYPE_SPF) == 'SPF')
assert(dns.type_name(257) == 'unknown')

-- literals and bad names never reach the network
local a, err = dns.query('192.0.2.1')
assert(#a == 1 and a[1].type == dns.TYPE_A and a[1].address == '192.0.2.1', err)
a = assert(dns.query('2001:db8::1'))
assert(a[1].type == dns.TYPE_AAAA and a[1].address == '2001:db8::1')
a, err = dns.query('.x')
assert(a == nil and err == 'bad name')
a, err = dns.query(string.rep('x', 300))
assert(a == nil and err == 'bad name')
a, err = q(string.rep('x', 64) .. '.test', dns.TYPE_A)
assert(a == nil and err == 'bad name', err) -- a label over 63 bytes

-- A: two records, lua-eco's record shape
a, err = q('www.test', dns.TYPE_A)
assert(a, err)
assert(#a == 2)
assert(a[1].type == dns.TYPE_A and a[1].class == dns.CLASS_IN and a[1].ttl == 60)
assert(a[1].section == dns.SECTION_AN and a[1].name == 'www.test')
assert(a[1].address == '192.0.2.10' and a[2].address == '192.0.2.11')

-- the default type is A
a = assert(q('www.test'))
assert(a[1].type == dns.TYPE_A)

a = assert(q('www.test', dns.TYPE_AAAA))
assert(#a == 1 and a[1].address == '2001:db8::10')

a = assert(q('test', dns.TYPE_MX))
assert(a[1].preference == 10 and a[1].exchange == 'mail.test')

a = assert(q('txt.test', dns.TYPE_TXT))
assert(a[1].txt == 'hello world', a[1].txt)
a = assert(q('multi.test', dns.TYPE_TXT))
assert(type(a[1].txt) == 'table' and a[1].txt[1] == 'a' and a[1].txt[2] == 'b')

a = assert(q('_ws._tcp.test', dns.TYPE_SRV))
assert(a[1].priority == 1 and a[1].weight == 5 and a[1].port == 8443 and a[1].target == 'ws.test')

a = assert(q('alias.test', dns.TYPE_CNAME))
assert(a[1].cname == 'www.test')

a = assert(q('test', dns.TYPE_SOA))
assert(a[1].mname == 'ns.test' and a[1].rname == 'admin.test')
assert(a[1].serial == 2024010101 and a[1].refresh == 7200 and a[1].retry == 3600)
assert(a[1].expire == 1209600 and a[1].minimum == 300)

-- a type lua-eco does not decode comes back as raw rdata
a = assert(q('test', 257))
assert(a[1].type == 257 and a[1].rdata == '\0\5issueca.test', a[1].rdata)

-- NXDOMAIN
a, err = q('nothere.test', dns.TYPE_A)
assert(a == nil and err == 'name error', err)

-- a server that never answers: nil, err after the timeout, and other
-- tasks keep running meanwhile
local ticks = 0
eco.run(function()
    for _ = 1, 5 do
        eco.sleep(0.02)
        ticks = ticks + 1
    end
end)
a, err = q('silent.test', dns.TYPE_A, { timeout = 0.3 })
assert(a == nil and err == string.format('recv from "127.0.0.1:%d" fail: timeout', port), err)
assert(ticks == 5, 'the VM was blocked during the DNS wait')

-- the first server fails (nothing listens there: connection refused or
-- timeout), the second answers
local udp = require 'eco.socket'
local dead = assert(udp.listen_udp('127.0.0.1', 0))
local dead_port = dead:getsockname().port
dead:close()
a, err = dns.query('www.test', { nameservers = { { '127.0.0.1', dead_port }, { '127.0.0.1', port } }, timeout = 0.3 })
assert(a and a[1].address == '192.0.2.10', err)

-- argument errors raise
assert(not pcall(dns.query, 'www.test', { nameservers = { 42 } }))
local ok, msg = pcall(dns.query, 'www.test', { nameservers = { 'dns.example' } })
assert(not ok and msg:find('invalid nameserver: dns.example', 1, true), msg)

print('dns_spec ok')
