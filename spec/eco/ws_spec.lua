-- eco.websocket spec: every function, option, return convention and error
-- string of the binding, client and server in one process.
-- usage: golua-ws ws_spec.lua PORT RAWPORT
local eco = require 'eco'
local time = require 'eco.time'
local http = require 'eco.http.server'
local client = require 'eco.http.client'
local socket = require 'eco.socket'
local websocket = require 'eco.websocket'

local port = assert(tonumber(arg[1]), 'port')
local rawport = assert(tonumber(arg[2]), 'raw port')
local base = 'http://127.0.0.1:' .. port
local wsbase = 'ws://127.0.0.1:' .. port

-- What server-side handlers observed, checked by the client side.
local seen = {}

local function wait_for(name, pred)
    for _ = 1, 300 do
        if pred() then return end
        time.sleep(0.01)
    end
    error('timed out waiting for ' .. name, 2)
end

local function handler(con, req)
    local path = req.path
    if path == '/ready' then
        con:add_header('content-length', 2)
        con:send('ok')
    elseif path == '/ws' then
        local ws, err = websocket.upgrade(con, req, { max_payload_len = 65535 })
        if not ws then
            con:send_error(400, nil, err)
            return
        end
        seen.protocol = con.resp.headers['sec-websocket-protocol']
        while true do
            local data, typ, extra = ws:recv_frame(5)
            if not data then
                seen.ws_err = extra
                return
            end
            if typ == 'text' then
                ws:send_frame(extra ~= 'again', 0x1, 'echo:' .. data)
            elseif typ == 'binary' then
                ws:send_binary(data .. '-srv')
            elseif typ == 'ping' then
                ws:send_pong(data)
            elseif typ == 'continuation' then
                ws:send_frame(extra ~= 'again', 0, data)
            elseif typ == 'close' then
                seen.close_code, seen.close_reason = extra, data
                ws:send_close(1000, 'bye')
                return
            end
        end
    elseif path == '/check' then
        -- the handshake checks: the error goes back in a 400 body
        local ws, err = websocket.upgrade(con, req)
        if not ws then
            con:send_error(400, nil, err)
            return
        end
        ws:send_close(1000)
    elseif path == '/small' then
        local opts = { max_payload_len = 10 }
        local ws = assert(websocket.upgrade(con, req, opts))
        seen.small_opts = opts
        local data, typ, err = ws:recv_frame(5)
        seen.small = { data, typ, err }
    elseif path == '/big' then
        local ws = assert(websocket.upgrade(con, req, {}))
        ws:send_binary(string.rep('x', 20))
        ws:recv_frame(5)
    elseif path == '/strict' then
        local ws = assert(websocket.upgrade(con, req))
        local data, typ, err = ws:recv_frame(5)
        seen.strict = { data, typ, err }
    elseif path == '/burst' or path == '/burstclose' then
        -- golua-ws queues small frames (write-behind): everything sent
        -- before the handler returns, or before ws.sock:close(), must still
        -- reach the peer, in order.
        local ws = assert(websocket.upgrade(con, req))
        for i = 1, 50 do
            assert(ws:send_text(string.rep(string.char(96 + i % 26), i * 37)))
        end
        ws:send_ping('p')
        if path == '/burstclose' then
            ws.sock:close()
            seen.burstclose = { ws:send_text('after close') }
        end
    elseif path == '/gone' then
        -- the peer vanishes: queued sends report the failure soon after
        local ws = assert(websocket.upgrade(con, req))
        local n, err
        for i = 1, 3000 do
            n, err = ws:send_binary(string.rep('g', 1000))
            if not n then break end
            time.sleep(0.001)
        end
        seen.gone = { n, err }
    elseif path == '/late' then
        local ws = assert(websocket.upgrade(con, req))
        time.sleep(0.4)
        ws:send_text('late')
        ws:recv_frame(5)
    elseif path == '/badaccept' or path == '/badupgrade' or path == '/badconn' then
        con:set_status(101)
        con:add_header('upgrade', path == '/badupgrade' and 'h2c' or 'websocket')
        con:add_header('connection', path == '/badconn' and 'close' or 'upgrade')
        con:add_header('sec-websocket-accept', 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=')
        con:flush()
    else
        con:send_error(404, nil, 'missing')
    end
end

eco.run(function()
    local _, err = http.listen('127.0.0.1', port, { reuseaddr = true, http_keepalive = 2 }, handler)
    error('listen failed: ' .. tostring(err))
end)

-- A raw WebSocket server for what the eco API cannot send: a frame split in
-- two writes with a pause between them.
local sha1 = require 'eco.hash.sha1'
local base64 = require 'eco.encoding.base64'
eco.run(function()
    local srv = assert(socket.listen_tcp('127.0.0.1', rawport, { reuseaddr = true }))
    while true do
        local c = srv:accept()
        if not c then return end
        eco.run(function()
            local key
            while true do
                local line = c:read('l', 5)
                if not line or line == '' then break end
                local k, v = line:match('^([^:]+):%s*(.*)$')
                if k and k:lower() == 'sec-websocket-key' then key = v end
            end
            local accept = base64.encode(sha1.sum(key .. '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'))
            c:send('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' ..
                'Sec-WebSocket-Accept: ' .. accept .. '\r\n\r\n')
            -- text frame "hello world", unmasked, in two parts
            c:send(string.char(0x81, 11) .. 'hello')
            time.sleep(0.3)
            c:send(' world')
            -- then a frame header promising 100 bytes, 10 bytes, and the peer vanishes
            c:send(string.char(0x82, 100) .. '0123456789')
            time.sleep(0.1)
            c:close()
        end)
    end
end)

local function ready()
    for _ = 1, 150 do
        local res = client.request('GET', base .. '/ready', nil, { timeout = 0.5 })
        if res and res.code == 200 and res.body == 'ok' then return end
        time.sleep(0.01)
    end
    error('server not ready')
end

ready()

-- connect with every option; the module table has just the two functions
do
    local n = 0
    for _ in pairs(websocket) do n = n + 1 end
    assert(n == 2 and websocket.upgrade and websocket.connect)

    local opts = { origin = base, protocols = { 'chat', 'echo' }, headers = { ['X-Extra'] = '1' }, timeout = 2 }
    local ws, err = websocket.connect(wsbase .. '/ws', opts)
    assert(ws, err)
    assert(opts.max_payload_len == 65535, 'connect writes the default into opts')
    assert(ws.masking == true and ws.hc and ws.sock and ws.opts == opts)
    assert(ws.sock == ws.hc:sock())

    -- senders return the whole frame length (client frames carry a 4-byte mask)
    local n1, e1 = ws:send_text('hello')
    assert(n1 == 11 and e1 == nil, tostring(e1))
    local data, typ, extra = ws:recv_frame(2)
    assert(data == 'echo:hello' and typ == 'text' and extra == nil)
    assert(seen.protocol == 'chat', tostring(seen.protocol))

    assert(ws:send_binary(string.rep('b', 200)) == 208)
    data, typ, extra = ws:recv_frame(2)
    assert(data == string.rep('b', 200) .. '-srv' and typ == 'binary' and extra == nil)

    assert(ws:send_ping() == 6)
    data, typ = ws:recv_frame(2)
    assert(data == '' and typ == 'pong')
    assert(ws:send_ping('probe') == 11)
    data, typ, extra = ws:recv_frame(2)
    assert(data == 'probe' and typ == 'pong' and extra == nil)

    -- numbers are sent as strings
    local n12, e12 = ws:send_text(12345)
    assert(n12 == 11, tostring(e12))
    assert(ws:recv_frame(2) == 'echo:12345')

    -- fragments come back one by one with 'again'
    assert(ws:send_frame(false, 0x1, 'frag1') == 11)
    assert(ws:send_frame(true, 0x0, 'frag2') == 11)
    data, typ, extra = ws:recv_frame(2)
    assert(data == 'echo:frag1' and typ == 'text' and extra == 'again')
    data, typ, extra = ws:recv_frame(2)
    assert(data == 'frag2' and typ == 'continuation' and extra == nil)

    -- sender argument checks, in lua-eco's order and words
    local r, e = ws:send_frame(true, 0x9, string.rep('p', 126))
    assert(r == nil and e == 'too much payload for control frame', e)
    r, e = ws:send_frame(false, 0x9, 'x')
    assert(r == nil and e == 'fragmented control frame', e)
    r, e = ws:send_text(string.rep('y', 65536))
    assert(r == nil and e == 'payload too big', e)
    r, e = ws:send_close('1000')
    assert(r == nil and e == 'bad status code', e)
    r, e = ws:send_close(0x8000)
    assert(r == nil and e == 'bad status code', e)

    -- close: the reason as data, the code as the third value
    assert(ws:send_close(1000, 'done') == 12)
    data, typ, extra = ws:recv_frame(2)
    assert(data == 'bye' and typ == 'close' and extra == 1000, tostring(data))
    wait_for('server close', function() return seen.close_code end)
    assert(seen.close_code == 1000 and seen.close_reason == 'done')

    -- after the server hung up, failure is nil, nil, err
    data, typ, extra = ws:recv_frame(2)
    assert(data == nil and typ == nil and type(extra) == 'string', tostring(extra))
    ws.hc:close()
end

-- protocols as a string; a server without a matching protocol is fine
do
    local ws = assert(websocket.connect(wsbase .. '/ws', { protocols = 'p1, p2' }))
    wait_for('protocol', function() return seen.protocol == 'p1' end)
    ws:send_close(1000)
    assert(select(2, ws:recv_frame(2)) == 'close')
    ws.sock:close()
end

-- the upgrade checks and their exact error strings
local function check(headers, want, version)
    local h = {
        upgrade = 'websocket', connection = 'keep-alive, Upgrade',
        ['sec-websocket-version'] = '13', ['sec-websocket-key'] = 'dGhlIHNhbXBsZSBub25jZQ=='
    }
    for k, v in pairs(headers) do
        if v == false then h[k] = nil else h[k] = v end
    end
    local hc = client.new()
    local res = assert(hc:request('GET', base .. '/check', nil, { headers = h }))
    hc:close()
    if want == 101 then
        assert(res.code == 101, 'want 101, got ' .. res.code)
        assert(res.headers['sec-websocket-accept'] == 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=')
        return res
    end
    assert(res.code == 400, want .. ': code ' .. tostring(res.code))
    assert(res.body == want, 'got "' .. tostring(res.body) .. '" want "' .. want .. '"')
end

check({ upgrade = false }, 'not found "upgrade" request header')
check({ upgrade = 'h2c' }, 'bad "upgrade" request header:h2c')
do -- the eco client always sends a connection header: go raw
    local s = assert(socket.connect_tcp('127.0.0.1', port))
    s:send('GET /check HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n' ..
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n')
    local reply = ''
    while not reply:find('\r\n0\r\n') do
        local d = s:read(4096, 2)
        if not d then break end
        reply = reply .. d
    end
    s:close()
    assert(reply:match('^HTTP/1%.1 400 '), reply)
    assert(reply:find('not found "connection" request header', 1, true), reply)
end
check({ connection = 'keep-alive' }, 'bad "connection" request header: keep-alive')
check({ ['sec-websocket-version'] = false }, 'not found "sec-websocket-version" request header')
check({ ['sec-websocket-version'] = '8' }, 'bad "sec-websocket-version" request header: 8')
check({ ['sec-websocket-key'] = false }, 'not found "sec-websocket-key" request header')
check({ ['sec-websocket-key'] = '====' }, 'bad "sec-websocket-key" request header')
check({ ['sec-websocket-key'] = 'abc' }, 'bad "sec-websocket-key" request header')
local res = check({ ['sec-websocket-protocol'] = ', chat , superchat' }, 101)
assert(res.headers['sec-websocket-protocol'] == 'chat')

-- a malformed upgrade over a raw socket gets a 400 and the server keeps serving
do
    local s = assert(socket.connect_tcp('127.0.0.1', port))
    local req = 'GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' ..
        'Sec-WebSocket-Version: 13\r\n\r\n'
    assert(s:write(req, 1.0) == #req)
    local head = assert(s:readuntil('\r\n\r\n', 1.0))
    assert(head:match('^HTTP/1%.1 400 '), head)
    s:close()
    ready()
    local ws = assert(websocket.connect(wsbase .. '/ws'))
    assert(ws:send_text('still') and ws:recv_frame(2) == 'echo:still')
    ws.sock:close()
end

-- connect failures and their exact error strings
do
    local ws, err = websocket.connect(wsbase .. '/nothing')
    assert(ws == nil and err == 'connect fail with status code: 404', err)
    ws, err = websocket.connect(wsbase .. '/badaccept')
    assert(ws == nil and err == 'bad "sec-websocket-accept" response header', err)
    ws, err = websocket.connect(wsbase .. '/badupgrade')
    assert(ws == nil and err == 'bad "upgrade" response header', err)
    ws, err = websocket.connect(wsbase .. '/badconn')
    assert(ws == nil and err == 'bad "connection" response header', err)
    ws, err = websocket.connect('ftp://127.0.0.1:' .. port .. '/ws')
    assert(ws == nil and err == 'unsupported scheme: ftp', err)
    ws, err = websocket.connect('ws://127.0.0.1:1/ws')
    assert(ws == nil and err == 'connect "127.0.0.1 1" fail: Connection refused', err)
end

-- max_payload_len, receiving side (server): a frame over it is refused
do
    local ws = assert(websocket.connect(wsbase .. '/small'))
    assert(ws:send_text('0123456789') == 16) -- 10 bytes is fine for the sender
    local n, e = ws:send_binary(string.rep('z', 11))
    assert(n == 17, tostring(e))
    wait_for('small', function() return seen.small end)
    -- the first frame (10 bytes) is within the limit
    assert(seen.small[1] == '0123456789' and seen.small[2] == 'text', tostring(seen.small[3]))
    assert(seen.small_opts.max_payload_len == 10)
    ws.sock:close()
end

-- max_payload_len, receiving side (client): nil, nil, 'exceeding max payload len'
do
    local ws = assert(websocket.connect(wsbase .. '/big', { max_payload_len = 10 }))
    local data, typ, err = ws:recv_frame(2)
    assert(data == nil and typ == nil and err == 'exceeding max payload len', tostring(err))
    ws.sock:close()
end

-- invalid UTF-8 in a text frame: the server's recv_frame fails and the peer gets close 1007
do
    local ws = assert(websocket.connect(wsbase .. '/strict'))
    assert(ws:send_text('ok\255\254'))
    wait_for('strict', function() return seen.strict end)
    assert(seen.strict[1] == nil and seen.strict[2] == nil and type(seen.strict[3]) == 'string')
    local data, typ, code = ws:recv_frame(2)
    assert(typ == 'close' and code == 1007, tostring(typ) .. ' ' .. tostring(code))
    ws.sock:close()
end

-- recv_frame(timeout): a timeout is not fatal, the next call goes on
do
    local ws = assert(websocket.connect(wsbase .. '/late'))
    local data, typ, err = ws:recv_frame(0.1)
    assert(data == nil and typ == nil and err:find('timeout'), tostring(err))
    data, typ = ws:recv_frame(2)
    assert(data == 'late' and typ == 'text', tostring(data))
    ws.sock:close()
end

-- a timeout in the middle of a frame keeps the partial frame; a peer that
-- vanishes mid-frame gives an error, not a hang
do
    local ws = assert(websocket.connect('ws://127.0.0.1:' .. rawport .. '/'))
    local data, typ, err = ws:recv_frame(0.1)
    assert(data == nil and err:find('timeout'), tostring(err))
    data, typ, err = ws:recv_frame(2)
    assert(data == 'hello world' and typ == 'text' and err == nil, tostring(data))
    data, typ, err = ws:recv_frame(2)
    assert(data == nil and typ == nil and type(err) == 'string' and not err:find('timeout'), tostring(err))
    ws.sock:close()
end

-- frames queued by the server go out before the handler's end closes the
-- connection, and before ws.sock:close(); a send after the close fails
for _, path in ipairs({ '/burst', '/burstclose' }) do
    local ws = assert(websocket.connect(wsbase .. path))
    for i = 1, 50 do
        local data, typ = ws:recv_frame(2)
        assert(typ == 'text' and data == string.rep(string.char(96 + i % 26), i * 37),
            path .. ' frame ' .. i .. ': ' .. tostring(typ))
    end
    local data, typ = ws:recv_frame(2)
    assert(typ == 'ping' and data == 'p', path .. ' ping: ' .. tostring(typ))
    data, typ = ws:recv_frame(2)
    assert(data == nil, path .. ': connection still open, got ' .. tostring(typ))
    ws.sock:close()
end
wait_for('burstclose', function() return seen.burstclose end)
assert(seen.burstclose[1] == nil and seen.burstclose[2] == 'failed to send frame: Bad file descriptor',
    tostring(seen.burstclose[2]))

-- a peer that vanishes makes the sender's sends fail, not succeed forever
do
    local ws = assert(websocket.connect(wsbase .. '/gone'))
    ws.sock:close()
    wait_for('gone', function() return seen.gone end)
    assert(seen.gone[1] == nil and seen.gone[2]:find('^failed to send frame: '), tostring(seen.gone[2]))
end

-- one reader at a time
do
    local ws = assert(websocket.connect(wsbase .. '/late'))
    eco.run(function() ws:recv_frame(2) end)
    local ok, err = pcall(ws.recv_frame, ws, 0.05)
    assert(not ok and err:find('already waiting'), tostring(err))
    time.sleep(0.5)
    ws.sock:close()
end

print('ws_spec ok')
os.exit(0)
