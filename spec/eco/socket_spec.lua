-- eco.socket (TCP) and eco.ssl spec, plus https:// and wss:// through them.
-- usage: golua-ws socket_spec.lua CERT KEY HTTPS_PORT
local eco = require 'eco'
local time = require 'eco.time'
local socket = require 'eco.socket'
local ssl = require 'eco.ssl'

local cert, key, https_port = arg[1], arg[2], tonumber(arg[3])

assert(socket.is_ip_address('127.0.0.1') and socket.is_ipv6_address('::1') and not socket.is_ip_address('localhost'))
assert(socket.is_ipv4_address('10.0.0.1') and not socket.is_ipv4_address('::1'))

local srv = assert(socket.listen_tcp('127.0.0.1', 0, { reuseaddr = true }))
local addr = assert(srv:getsockname())
assert(addr.ipaddr == '127.0.0.1' and addr.port > 0 and addr.family == socket.AF_INET)
local port = addr.port

-- reuseport = true lets two sockets bind one port; without it the second
-- bind is refused
do
    local a = assert(socket.listen_tcp('127.0.0.1', 0, { reuseport = true }))
    local p = a:getsockname().port
    local b, berr = socket.listen_tcp('127.0.0.1', p, { reuseport = true })
    assert(b, 'second reuseport bind: ' .. tostring(berr))
    local x, xerr = socket.listen_tcp('127.0.0.1', p)
    assert(x == nil and xerr, 'a bind without reuseport should be refused')
    b:close()
    a:close()
end

-- accept with a timeout and nobody connecting
local c, err = srv:accept(0.05)
assert(c == nil and err == 'timeout', tostring(err))

-- a peer that writes a scripted stream
eco.run(function()
    local s, peer = assert(srv:accept())
    assert(peer.ipaddr == '127.0.0.1')
    s:send('abcdef')
    time.sleep(0.05)
    s:send('line1\r\nline2\nrest')
    time.sleep(0.05)
    s:send('xxEFyy')
    time.sleep(0.05)
    s:send('0123456789')
    time.sleep(0.05)
    s:send('tail')
    s:close()
end)

local s = assert(socket.connect_tcp('127.0.0.1', port))
assert(s:getpeername().port == port)
assert(s:read(2) == 'ab')              -- n: at most n bytes
assert(s:read(100) == 'cdef')          -- buffered bytes at once
assert(s:read('l') == 'line1')         -- CRLF stripped
assert(s:read('L') == 'line2\n')       -- kept
assert(s:read(4) == 'rest')
local d, found = s:readuntil('EF', 2)
assert(d == 'xx' and found == true, tostring(d))
assert(s:read(2) == 'yy')
assert(s:readfull(10, 2) == '0123456789')
assert(s:read('a') == 'tail')          -- up to EOF
d, err = s:read('a')
assert(d == nil and err == 'closed', tostring(err))
d, err = s:read(10)
assert(d == nil and err == 'closed', tostring(err))
s:close()
s:close()                                -- idempotent
assert(s:closed() == true)
local n
n, err = s:send('x')
assert(n == nil and err == 'Bad file descriptor', tostring(err))

-- argument checks raise lua-eco's messages
local ok, msg = pcall(socket.connect_tcp, 'localhost', port)
assert(not ok and msg:find('not a valid IP address'), msg)
local s2 = assert(socket.connect_tcp('127.0.0.1', port))
ok, msg = pcall(s2.read, s2, 0)
assert(not ok and msg:find('expected size must be greater than 0'), msg)
ok, msg = pcall(s2.readuntil, s2, '')
assert(not ok and msg:find('needle length must be 1~256 bytes'), msg)
-- a read with a timeout and no data
d, err = s2:read(10, 0.05)
assert(d == nil and err == 'timeout', tostring(err))
s2:close()

-- connect failures
s, err = socket.connect_tcp('127.0.0.1', 1)
assert(s == nil and err == 'Connection refused', tostring(err))
srv:close()

-- TLS: eco.ssl listen/connect, https with eco.http.server, wss with eco.websocket
if cert then
    local tsrv = assert(ssl.listen('127.0.0.1', 0, { cert = cert, key = key }))
    local tport = tsrv.sock:getsockname().port
    eco.run(function()
        local tc = assert(tsrv:accept())
        local line = tc:read('l', 2)
        tc:send('tls:' .. line .. '\n')
        tc:close()
    end)
    local tc = assert(ssl.connect('127.0.0.1', tport, { insecure = true }))
    tc:send('hi\n')
    assert(tc:read('l', 2) == 'tls:hi')
    tc:close()
    -- verification is on by default
    tc, err = ssl.connect('127.0.0.1', tport)
    assert(tc == nil and err, 'an unverified certificate must be refused')
    tsrv:close()

    local http = require 'eco.http.server'
    local client = require 'eco.http.client'
    local websocket = require 'eco.websocket'
    local opts = { reuseaddr = true, cert = cert, key = key }
    eco.run(function()
        http.listen('127.0.0.1', https_port, opts, function(con, req)
            if req.path == '/ws' then
                local ws = assert(websocket.upgrade(con, req))
                local data = ws:recv_frame(2)
                ws:send_text('wss:' .. data)
                ws:recv_frame(2)
                return
            end
            con:send('secure')
        end)
    end)
    local res
    for _ = 1, 100 do
        res = client.request('GET', 'https://127.0.0.1:' .. https_port .. '/', nil, { insecure = true, timeout = 1 })
        if res then break end
        time.sleep(0.02)
    end
    assert(res and res.code == 200 and res.body == 'secure')
    assert(opts.ssl == true)
    local ws = assert(websocket.connect('wss://127.0.0.1:' .. https_port .. '/ws', { insecure = true }))
    ws:send_text('x')
    local data = ws:recv_frame(2)
    assert(data == 'wss:x', tostring(data))
    ws:send_close(1000)
    ws.sock:close()
    local bad
    bad, err = websocket.connect('wss://127.0.0.1:' .. https_port .. '/ws')
    assert(bad == nil and err:find('connect'), tostring(err))
end

print('socket_spec ok')
os.exit(0)
