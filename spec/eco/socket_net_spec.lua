-- eco.socket beyond TCP: UDP, Unix stream and datagram sockets, socketpair,
-- socket()/bind/listen/connect, options, address helpers, sendfile, and the
-- error paths. arg[1] is a scratch directory (the Go test's TempDir).
local socket = require 'eco.socket'
local internal = require 'eco.internal.socket'
local eco = require 'eco'

local dir = assert(arg[1], 'scratch directory argument')

local function exists(path)
    local f = io.open(path)
    if f then f:close() return true end
    -- a socket file cannot be opened; the directory listing shows it
    local p = io.popen('ls -a ' .. dir)
    local all = p:read('a')
    p:close()
    local name = path:match('[^/]+$')
    return all:find(name, 1, true) ~= nil
end

-- wait runs fn in a task and waits for it, with a bound.
local function wait_all(fns, limit)
    local left = #fns
    for _, fn in ipairs(fns) do
        eco.run(function()
            fn()
            left = left - 1
        end)
    end
    local waited = 0
    while left > 0 do
        assert(waited < (limit or 5), 'tasks did not finish')
        eco.sleep(0.01)
        waited = waited + 0.01
    end
end

-- constants come from eco.internal.socket
assert(socket.AF_UNIX == 1 and socket.AF_INET == 2 and socket.AF_INET6 == 10 and socket.AF_PACKET == 17)
assert(socket.SOCK_STREAM == 1 and socket.SOCK_DGRAM == 2 and socket.SOCK_RAW == 3)
assert(internal.IPPROTO_UDP == 17 and internal.ETH_P_ALL == 3)

-- address helpers
assert(socket.is_ipv4_address('10.1.2.3') and not socket.is_ipv4_address('::1'))
assert(socket.is_ipv6_address('fe80::1') and not socket.is_ipv6_address('1.2.3.4'))
assert(not socket.is_ip_address('1.2.3') and not socket.is_ip_address(''))
assert(socket.inet_aton('1.2.3.4') == 0x04030201)
assert(socket.inet_aton('nope') == nil)
assert(socket.inet_ntoa(0x04030201) == '1.2.3.4')
assert(socket.inet_pton(socket.AF_INET, '1.2.3.4') == '\1\2\3\4')
assert(socket.inet_pton(socket.AF_INET, '::1') == nil)
assert(#socket.inet_pton(socket.AF_INET6, '2001:db8::1') == 16)
assert(socket.inet_ntop(socket.AF_INET6, socket.inet_pton(socket.AF_INET6, '2001:db8::1')) == '2001:db8::1')
assert(not pcall(socket.inet_pton, socket.AF_UNIX, '1.2.3.4'))
assert(socket.htons(0x1234) == 0x3412 and socket.htonl(0x01020304) == 0x04030201)
assert(socket.if_nametoindex('no-such-if0') == nil)
assert(socket.if_indextoname(socket.if_nametoindex('lo')) == 'lo')

-- UDP: sendto/recvfrom with the sender's address, timeout, connect_udp
do
    local srv = assert(socket.listen_udp('127.0.0.1', 0))
    local sport = srv:getsockname().port
    assert(srv:getsockname().family == socket.AF_INET)
    local cli = assert(socket.udp())
    assert(cli:sendto('one', '127.0.0.1', sport) == 3)
    local data, from = srv:recvfrom(100, 1)
    assert(data == 'one', from)
    assert(from.family == socket.AF_INET and from.ipaddr == '127.0.0.1' and from.port == cli:getsockname().port)
    -- a datagram longer than asked is cut
    cli:sendto('abcdef', '127.0.0.1', sport)
    assert(srv:recvfrom(3, 1) == 'abc')
    local none, err = srv:recvfrom(10, 0.05)
    assert(none == nil and err == 'timeout', err)

    local conn = assert(socket.connect_udp('127.0.0.1', sport))
    assert(conn:getpeername().port == sport)
    assert(conn:send('via send') == 8)
    data, from = srv:recvfrom(100, 1)
    assert(data == 'via send')
    assert(srv:sendto('reply', from.ipaddr, from.port) == 5)
    assert(conn:read(100, 1) == 'reply')
    conn:close()
    cli:close()
    srv:close()
    assert(srv:closed())
    local n, cerr = srv:recvfrom(10, 0.1)
    assert(n == nil and cerr == 'Bad file descriptor', cerr)
    n, cerr = cli:sendto('x', '127.0.0.1', sport)
    assert(n == nil and cerr == 'Bad file descriptor', cerr)
    -- a task waiting in recvfrom is woken by close
    local s = assert(socket.listen_udp('127.0.0.1', 0))
    wait_all({
        function()
            local d, e = s:recvfrom(10, 2)
            assert(d == nil and e == 'canceled', e)
        end,
        function()
            eco.sleep(0.05)
            s:close()
        end,
    })
end

-- UDP over IPv6 and an IPv6 TCP listener
do
    local srv = assert(socket.listen_udp('::1', 0, { ipv6 = true }))
    local addr = srv:getsockname()
    assert(addr.family == socket.AF_INET6 and addr.ipaddr == '::1')
    local cli = assert(socket.udp6())
    assert(cli:sendto('v6', '::1', addr.port) == 2)
    local d, from = srv:recvfrom(10, 1)
    assert(d == 'v6' and from.ipaddr == '::1')
    cli:close()
    srv:close()

    local ln = assert(socket.listen_tcp('::1', 0, { ipv6 = true }))
    local port = ln:getsockname().port
    assert(ln:getsockname().family == socket.AF_INET6)
    wait_all({
        function()
            local c, peer = assert(ln:accept())
            assert(peer.family == socket.AF_INET6 and peer.ipaddr == '::1')
            assert(c:readfull(2, 1) == 'hi')
            c:close()
        end,
        function()
            local c = assert(socket.connect_tcp('::1', port))
            assert(c:send('hi') == 2)
            c:close()
        end,
    })
    ln:close()
end

-- an IPv4 address on an IPv6 socket and the reverse are argument errors
assert(not pcall(function() socket.udp():sendto('x', '::1', 1) end))
assert(not pcall(socket.connect_udp, 'localhost', 53))

-- socket() then bind/listen/accept and socket() then connect, with options
do
    local ln = assert(socket.socket(socket.AF_INET, socket.SOCK_STREAM, nil, { reuseaddr = true }))
    local lfd = ln:getfd()
    assert(ln:bind('127.0.0.1', 0) == ln)
    assert(ln:listen(8) == ln)
    assert(ln:getfd() == lfd, 'getfd changed at listen')
    local again, aerr = ln:listen(8)
    assert(again == nil and aerr == 'Invalid argument', aerr)
    local port = ln:getsockname().port
    local cli = assert(socket.tcp())
    assert(cli:setoption('tcp_nodelay', true))
    assert(cli:setoption('keepalive', true))
    assert(cli:setoption('tcp_keepidle', 30))
    assert(cli:setoption('sndbuf', 8192))
    assert(cli:getoption('error') == nil)
    local p, perr = cli:getpeername()
    assert(p == nil and perr == 'Transport endpoint is not connected', perr)
    local r, rerr = cli:read(1, 0.1)
    assert(r == nil and rerr == 'Transport endpoint is not connected', rerr)
    wait_all({
        function()
            local c, peer = assert(ln:accept(1))
            assert(peer.ipaddr == '127.0.0.1')
            assert(c:readuntil('\n', 1) == 'hello')
            c:send('bye')
            c:close()
        end,
        function()
            local cfd = cli:getfd()
            assert(cli:connect('127.0.0.1', port) == cli)
            assert(cli:getfd() == cfd, 'getfd changed at connect')
            assert(cli:getpeername().port == port)
            assert(cli:send('hello\n') == 6)
            assert(cli:read('a', 1) == 'bye')
            cli:close()
        end,
    })
    ln:close()

    -- nothing listens on a closed port
    local s = assert(socket.tcp())
    local ok, err = s:connect('127.0.0.1', port)
    assert(ok == nil and err == 'Connection refused', err)
    s:close()

    -- binding a port in use
    local a = assert(socket.listen_tcp('127.0.0.1', 0))
    local b, berr = socket.listen_tcp('127.0.0.1', a:getsockname().port)
    assert(b == nil and berr:find('in use', 1, true), berr)
    a:close()
end

-- options: unknown names raise, wrong value types raise, kernel errors
-- come back as nil, err
do
    local s = assert(socket.udp())
    assert(not pcall(s.setoption, s, 'no_such_option', 1))
    assert(not pcall(s.setoption, s, 'broadcast', 1))
    assert(s:setoption('broadcast', true))
    local ok, err = s:setoption('bindtodevice', 'no-such-if0')
    assert(ok == nil and err == 'No such device', err)
    s:close()
    ok, err = s:setoption('broadcast', true)
    assert(ok == nil and err == 'Bad file descriptor', err)
    local bad, berr = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, nil, { device = 'no-such-if0' })
    assert(bad == nil and berr == "failed to set socket option 'device': No such device", berr)
    -- ipv6_v6only is ignored on IPv4 sockets, applied on IPv6 ones
    assert(socket.socket(socket.AF_INET, socket.SOCK_STREAM, nil, { ipv6_v6only = true })):close()
    assert(socket.socket(socket.AF_INET6, socket.SOCK_STREAM, nil, { ipv6_v6only = true })):close()
    local u = assert(socket.udp())
    local lok, lerr = u:listen()
    assert(lok == nil and lerr == 'Operation not supported', lerr)
    u:close()
    assert(not pcall(socket.listen_unix, nil))
    assert(not pcall(socket.listen_udp, '127.0.0.1', 'x'))
    local none, serr = socket.socket(99, socket.SOCK_STREAM)
    assert(none == nil and serr == 'Address family not supported by protocol', serr)
end

-- Unix stream: listen_unix creates the file, close removes it; accept's
-- peer address; connect_unix with a local path
do
    local path = dir .. '/srv.sock'
    local srv = assert(socket.listen_unix(path))
    assert(exists(path))
    assert(srv:getsockname().path == path and srv:getsockname().family == socket.AF_UNIX)
    local cpath = dir .. '/cli.sock'
    wait_all({
        function()
            local c, peer = assert(srv:accept(1))
            assert(peer.family == socket.AF_UNIX and peer.path == cpath, peer.path)
            assert(c:readfull(4, 1) == 'ping')
            assert(c:send('pong') == 4)
            c:close()
        end,
        function()
            local c = assert(socket.connect_unix(path, cpath))
            assert(c:getpeername().path == path)
            assert(c:send('ping') == 4)
            assert(c:readfull(4, 1) == 'pong')
            c:close()
        end,
    })
    srv:close()
    assert(not exists(path), 'listener file left behind')
    local c, err = socket.connect_unix(dir .. '/nobody.sock')
    assert(c == nil and err == 'No such file or directory', err)
    -- the path is taken while the listener lives
    srv = assert(socket.listen_unix(path))
    local again, aerr = socket.listen_unix(path)
    assert(again == nil and aerr == 'Address already in use', aerr)
    srv:close()
end

-- Unix datagram with paths, and an abstract name (leading NUL byte)
do
    local spath = dir .. '/dg.sock'
    local srv = assert(socket.unix_dgram())
    assert(srv:bind(spath))
    local cli = assert(socket.unix_dgram())
    assert(cli:bind(dir .. '/dgc.sock'))
    assert(cli:sendto('datagram', spath) == 8)
    local d, from = srv:recvfrom(64, 1)
    assert(d == 'datagram' and from.path == dir .. '/dgc.sock', from and from.path)
    cli:close()
    srv:close()
    assert(not exists(spath) and not exists(dir .. '/dgc.sock'))

    local name = '\0golua-ws-eco-spec-' .. tostring(os.time()) .. tostring(math.random(1e6))
    local a = assert(socket.unix_dgram())
    assert(a:bind(name))
    assert(a:getsockname().path == name)
    local b = assert(socket.unix_dgram())
    assert(b:sendto('abstract', name) == 8)
    assert(a:recvfrom(64, 1) == 'abstract')
    a:close()
    b:close()
end

-- socketpair: stream and datagram; sendfile with length and offset;
-- close wakes a blocked writer with 'canceled'
do
    local a, b = assert(socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM))
    local path = dir .. '/data.txt'
    local f = assert(io.open(path, 'wb'))
    f:write('0123456789')
    f:close()
    wait_all({
        function()
            assert(a:sendfile(path) == 10)
            assert(a:sendfile(path, 3, 2) == 3)
            assert(a:sendfile(path, nil, 8) == 2)
            assert(a:sendfile(path, nil, 20) == 0)
            local n, err = a:sendfile(dir .. '/missing')
            assert(n == nil and err == 'No such file or directory', err)
        end,
        function()
            assert(b:readfull(15, 1) == '0123456789' .. '234' .. '89')
        end,
    })
    a:close()
    local n, err = b:read(1, 1)
    assert(n == nil and err == 'closed', err)
    b:close()

    local x, y = assert(socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM))
    assert(x:send('d1') == 2 and x:send('d2') == 2)
    assert(y:read(100, 1) == 'd1' and y:read(100, 1) == 'd2')
    x:close()
    y:close()

    local w, r = assert(socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM))
    w:setoption('sndbuf', 4096)
    wait_all({
        function()
            local sent, werr = w:send(string.rep('z', 4 * 1024 * 1024))
            assert(sent == nil and werr == 'canceled', werr)
        end,
        function()
            eco.sleep(0.05)
            w:close()
        end,
    })
    r:close()
end

-- a socket's fd works with eco.reader, eco.writer and eco.io (the runtime's
-- fd table), as lua-eco scripts use it
do
    local a, b = assert(socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM))
    local rd, wr, io_ = eco.reader(b:getfd()), eco.writer(a:getfd()), eco.io(b:getfd())
    wait_all({
        function() assert(wr:write('line\n') == 5) end,
        function() assert(rd:read('l', 1) == 'line') end,
    })
    wait_all({
        function() eco.sleep(0.05) a:send('z') end,
        function()
            assert(io_:wait(eco.READ, 1))
            assert(b:read(1, 1) == 'z')
        end,
    })
    a:close()
    b:close()
    local v, err = rd:read(1, 0.1)
    assert(v == nil and err == 'Bad file descriptor', err)

    -- closing a socket whose fd a task waited on through eco.io really
    -- closes it: the peer reads the end
    local c, d = assert(socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM))
    local cio = eco.io(c:getfd())
    wait_all({
        function() eco.sleep(0.05) d:send('w') end,
        function() assert(cio:wait(eco.READ, 1)) assert(c:read(1, 1) == 'w') end,
    })
    c:close()
    v, err = d:read(1, 1)
    assert(v == nil and err == 'closed', err)
    d:close()
end

-- getfd is the kernel descriptor; a closed socket has none
do
    local s = assert(socket.udp())
    local fd = s:getfd()
    assert(math.type(fd) == 'integer' and fd > 2)
    s:close()
    assert(s:getfd() == -1)
end

-- packet sockets (root only): an unknown interface is lua-eco's message
local raw = internal.socket(internal.AF_PACKET, internal.SOCK_RAW, internal.htons(internal.ETH_P_ALL))
if raw then
    local ok, err = raw:connect({ ifname = 'no-such-if0' })
    assert(ok == nil and err == "device 'no-such-if0' not exists", err)
    ok, err = raw:sendto('x', { ifindex = 99999 })
    assert(ok == nil and err == "no device with ifindex '99999'", err)
    raw:close()
    -- a task waiting on one is woken by close (0x88b5, the IEEE local
    -- experimental EtherType, so no other traffic reaches the socket)
    local quiet = assert(internal.socket(internal.AF_PACKET, internal.SOCK_RAW, internal.htons(0x88b5)))
    wait_all({
        function()
            local d, e = quiet:recvfrom(100, 2)
            assert(d == nil and e == 'canceled', e)
        end,
        function()
            eco.sleep(0.05)
            quiet:close()
        end,
    })
end

print('socket_net_spec ok')
