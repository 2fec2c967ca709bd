-- eco.ssl: server and client objects, contexts, and the failure paths.
-- usage: golua-ws ssl_spec.lua CERT KEY DATAFILE OTHERKEY
local eco = require 'eco'
local ssl = require 'eco.ssl'
local socket = require 'eco.socket'
local time = require 'eco.time'

local cert, key, datafile = arg[1], arg[2], arg[3]

assert(ssl.OK == 0 and ssl.ERROR == -1 and ssl.WANT_READ == -2 and ssl.WANT_WRITE == -3)

-- wait_for runs fn in a task and waits (bounded) for it to finish.
local function wait_for(name, fn)
    local done, failure = false, nil
    eco.run(function()
        local ok, err = pcall(fn)
        if not ok then failure = err end
        done = true
    end)
    local deadline = time.now() + 10
    while not done do
        assert(time.now() < deadline, name .. ': timed out')
        time.sleep(0.005)
    end
    assert(failure == nil, name .. ': ' .. tostring(failure))
end

local function server(opts)
    opts = opts or {}
    opts.cert, opts.key = opts.cert or cert, opts.key or key
    local srv = assert(ssl.listen('127.0.0.1', 0, opts))
    return srv, srv.sock:getsockname().port
end

-- Echo of lines, readuntil, sendfile, the TCP socket under the client.
do
    local srv, port = server({ reuseaddr = true })
    eco.run(function()
        local c, peer = assert(srv:accept())
        assert(peer.ipaddr == '127.0.0.1' and peer.port > 0)
        local head, found = c:readuntil('\r\n', 2)
        assert(head == 'HELLO' and found == true, tostring(head))
        assert(c:readfull(6, 2) == 'cdefgh')
        c:write('bye\n')
        assert(c:read('l', 2) == nil) -- the client closed
        c:close()
        srv:close()
    end)
    wait_for('echo', function()
        local c = assert(ssl.connect('127.0.0.1', port, { insecure = true }))
        assert(type(c.sock:getfd()) == 'number' and c.sock:getfd() >= 0)
        assert(c.sock:getpeername().port == port)
        assert(c:send('HELLO\r\n', 2) == 7)
        assert(c:sendfile(datafile, 6, 2, 2) == 6) -- datafile holds 'abcdefghij'
        assert(c:recv('l', 2) == 'bye')
        c:close()
        c:close() -- idempotent
        local n, err = c:send('x')
        assert(n == nil and err == 'closed')
    end)
end

-- sendfile: a missing file, and a length past the end of the file.
do
    local srv, port = server()
    eco.run(function()
        local c = assert(srv:accept())
        assert(c:readfull(3, 2) == 'hij')
        c:close()
        srv:close()
    end)
    wait_for('sendfile', function()
        local c = assert(ssl.connect('127.0.0.1', port, { insecure = true }))
        local n, err = c:sendfile(datafile .. '.missing', 4)
        assert(n == nil and err == 'No such file or directory', tostring(err))
        assert(c:sendfile(datafile, 100, 7) == 3)
        c:close()
    end)
end

-- Verification: on by default; the self-signed certificate (for
-- 127.0.0.1) passes with ca = cert, and not for another server_name.
do
    local srv, port = server()
    eco.run(function()
        for _ = 1, 3 do
            local c = srv:accept()
            if c then
                c:send('ok')
                c:readfull(1, 2)
                c:close()
            end
        end
        srv:close()
    end)
    wait_for('verify', function()
        local c, err = ssl.connect('127.0.0.1', port)
        assert(c == nil and err:find('^SSL certificate verify fail: '), tostring(err))
        c, err = ssl.connect('127.0.0.1', port, { ca = cert, server_name = 'example.org' })
        assert(c == nil and err:find('^SSL certificate verify fail: .*example.org'), tostring(err))
        c = assert(ssl.connect('127.0.0.1', port, { ca = cert }))
        assert(c:readfull(2, 2) == 'ok')
        c:close()
    end)
end

-- A shared context survives its clients; freeing it refuses new sessions
-- but the live one goes on.
do
    local ctx = ssl.context()
    local srv, port = server()
    eco.run(function()
        for _ = 1, 2 do
            local c = assert(srv:accept())
            c:send(c:readfull(1, 2))
            c:close()
        end
        srv:close()
    end)
    wait_for('ctx', function()
        for i = 1, 2 do
            local c = assert(ssl.connect('127.0.0.1', port, { insecure = true, ctx = ctx }))
            if i == 2 then
                ctx:free()
                ctx:free()
                local s, err = ctx:new(c.sock:getfd(), true)
                assert(s == nil and err == 'context closed')
            end
            c:send(tostring(i))
            assert(c:readfull(1, 2) == tostring(i))
            c:close()
        end
        assert(not ctx:load_cert_file(cert), 'a freed context loads nothing')
    end)
end

-- close cancels a read waiting in another task.
do
    local srv, port = server()
    eco.run(function()
        local c = assert(srv:accept())
        c:readfull(1, 3)
        c:close()
        srv:close()
    end)
    wait_for('cancel', function()
        local c = assert(ssl.connect('127.0.0.1', port, { insecure = true }))
        local result
        eco.run(function()
            result = { c:readfull(1, 5) }
        end)
        time.sleep(0.05)
        c:close()
        time.sleep(0.05)
        assert(result and result[1] == nil and result[2] == 'canceled', tostring(result and result[2]))
    end)
end

-- Failures: files that cannot be loaded, connection refused, a server
-- that does not speak TLS, a handshake that times out.
do
    local s, err = ssl.listen('127.0.0.1', 0, { cert = cert .. '.missing', key = key })
    assert(s == nil and err == 'load cert file fail')
    s, err = ssl.listen('127.0.0.1', 0, { cert = cert, key = cert })
    assert(s == nil and err == 'load key file fail')
    s, err = ssl.listen('127.0.0.1', 0, { cert = cert, key = arg[4] }) -- a key of another certificate
    assert(s == nil and err == 'load key file fail')
    s, err = ssl.connect('127.0.0.1', 1, { insecure = true })
    assert(s == nil and err == 'Connection refused', tostring(err))

    local plain = assert(socket.listen_tcp('127.0.0.1', 0))
    local pport = plain:getsockname().port
    s, err = ssl.connect('127.0.0.1', pport, { ca = key })
    assert(s == nil and err == 'load ca file fail')

    eco.run(function()
        -- the first connection is the one the ca = key attempt made
        for _ = 1, 2 do
            local c = assert(plain:accept())
            c:send('HTTP/1.1 400 Bad Request\r\n\r\n')
            c:close()
        end
    end)
    wait_for('not tls', function()
        local c, cerr = ssl.connect('127.0.0.1', pport, { insecure = true })
        assert(c == nil and type(cerr) == 'string', tostring(cerr))
    end)
    plain:close()

    -- a client that never starts the handshake: accept fails once the
    -- client goes away, and the server goes on.
    local srv, port = server()
    local accepted
    eco.run(function()
        accepted = { srv:accept() }
    end)
    wait_for('silent client', function()
        local tcp = assert(socket.connect_tcp('127.0.0.1', port))
        time.sleep(0.05)
        tcp:close()
        local deadline = time.now() + 5
        while not accepted do
            assert(time.now() < deadline)
            time.sleep(0.01)
        end
        assert(accepted[1] == nil and type(accepted[2]) == 'string')
    end)
    srv:close()
    local c, aerr = srv:accept()
    assert(c == nil and aerr, 'accept on a closed server')
end

print('ssl_spec ok')
