-- eco.http.server and eco.http.client spec (after lua-eco's tests/http-test.lua).
-- usage: golua-ws http_spec.lua PORT DOCROOT
local eco = require 'eco'
local time = require 'eco.time'
local http = require 'eco.http.server'
local client = require 'eco.http.client'
local socket = require 'eco.socket'
local websocket = require 'eco.websocket'

local port = assert(tonumber(arg[1]))
local docroot = assert(arg[2])
local base = 'http://127.0.0.1:' .. port

assert(http.STATUS_OK == 200 and http.STATUS_NOT_FOUND == 404 and http.STATUS_SWITCHING_PROTOCOLS == 101)

local seen = {}

local function handler(con, req)
    local path = req.path
    if path == '/ready' then
        con:add_header('content-length', 2)
        con:send('ok')
    elseif path == '/query' then
        seen.query = req.query
        seen.query_string = req.query_string
        con:add_header('x-query-a', req.query.a or '')
        con:send(req.query.a or '')
    elseif path == '/req' then
        seen.req = req
        seen.peer = con:remote_addr()
        con:send('req')
    elseif path == '/up' then
        -- what a WebSocket handler sees of con and req after the take-over
        local ws = assert(websocket.upgrade(con, req))
        local got = { con_keys = {}, req_keys = {}, req_headers = {}, resp_headers = {}, con_keys_read = {} }
        -- the WebSocket object holds lua-eco's fields only
        got.ws_keys = {}
        for k in pairs(ws) do got.ws_keys[#got.ws_keys + 1] = k end
        -- con's fields are stored in it on their first read: the upgrade
        -- read none, so pairs sees none yet
        got.raw_resp, got.raw_peer = rawget(con, 'resp'), rawget(con, 'peer')
        for k in pairs(con) do got.con_keys[#got.con_keys + 1] = k end
        for k in pairs(req) do got.req_keys[#got.req_keys + 1] = k end
        for k, v in pairs(req.headers) do got.req_headers[k] = v end
        for k, v in pairs(con.resp.headers) do got.resp_headers[k] = v end
        got.head_sent, got.code = con.resp.head_sent, con.resp.code
        got.resp_version = con.resp.major_version .. '.' .. con.resp.minor_version
        got.peer, got.remote = con.peer, con:remote_addr()
        for k in pairs(con) do got.con_keys_read[#got.con_keys_read + 1] = k end
        got.body = { con:read_body() }
        got.form = { con:read_formdata(req) }
        got.sock, got.options, got.path = con.sock, con.options, req.path
        got.remain = con.body_remain
        got.con_keys_all = {}
        for k in pairs(con) do got.con_keys_all[#got.con_keys_all + 1] = k end
        -- writes to the tables of one connection stay in that connection
        con.resp.headers.server = 'changed'
        req.headers.upgrade = 'changed'
        seen.up = got
        local data = ws:recv_frame()
        ws:send_frame(true, 0x1, data)
        ws:recv_frame()
    elseif path == '/lazy' then
        -- con.resp and con.peer read before any write: today's values, and
        -- the table is the response from then on
        local got = { keys = {}, keys_read = {} }
        got.raw_resp, got.raw_peer = rawget(con, 'resp'), rawget(con, 'peer')
        for k in pairs(con) do got.keys[#got.keys + 1] = k end
        local resp = con.resp
        got.same = rawget(con, 'resp') == resp and con.resp == resp
        got.code, got.head_sent = resp.code, resp.head_sent
        got.version = resp.major_version .. '.' .. resp.minor_version
        got.server, got.date, got.ka = resp.headers.server, resp.headers.date, resp.headers['keep-alive']
        got.data = type(resp.data) == 'table' and next(resp.data) == nil
        got.peer = con.peer
        got.peer_same = rawget(con, 'peer') == got.peer and con:remote_addr() == got.peer
        for k in pairs(con) do got.keys_read[#got.keys_read + 1] = k end
        got.sock, got.formed, got.remain, got.options = con.sock, con.formed, con.body_remain, con.options
        got.keys_all = {}
        for k in pairs(con) do got.keys_all[#got.keys_all + 1] = k end
        assert(con:set_status(202, 'Taken'))
        con:add_header('x-a', '1')
        resp.headers['x-b'] = '2' -- a write to the table reaches the reply
        resp.headers.server = nil
        got.code2, got.status2, got.xa = resp.code, resp.status, resp.headers['x-a']
        con:send('lazy')
        got.head_sent2, got.chunked2 = resp.head_sent, resp.chunked
        seen.lazy = got
    elseif path == '/late' then
        -- con.resp read only after the writes: it holds them
        local got = {}
        got.peer_first = con:remote_addr()
        got.raw_peer = rawget(con, 'peer')
        assert(con:set_status(203, 'Late'))
        con:add_header('x-c', '3')
        con:add_header('X-Gone', 'x')
        con:add_header('x-gone', nil)
        con:add_header('x-c', '33')
        con:send('late')
        got.raw_resp = rawget(con, 'resp')
        local resp = con.resp
        got.code, got.status, got.head_sent, got.chunked = resp.code, resp.status, resp.head_sent, resp.chunked
        got.version = resp.major_version .. '.' .. resp.minor_version
        got.order = {}
        for k, v in pairs(resp.headers) do got.order[#got.order + 1] = k .. '=' .. tostring(v) end
        got.data = type(resp.data) == 'table'
        got.late = { pcall(con.add_header, con, 'x-d', '4') }
        seen.late_con = con
        seen.late = got
    elseif path == '/remain' then
        -- body_remain follows the reads, stored in con or not
        local got = {}
        if req.query.first then got.before = con.body_remain end
        got.part = con:read_body(3)
        got.after = con.body_remain
        got.raw = rawget(con, 'body_remain')
        con:discard_body()
        got.done = con.body_remain
        seen.remain = got
        con:send('remain')
    elseif path == '/untouched' then
        -- never read here: the main task reads them after the handler ended
        seen.untouched = con
        con:add_header('x-u', 'u')
        con:send('untouched')
    elseif path == '/assign' then
        -- assignments before the first read replace what would be built
        con.peer = 'mine'
        con.resp = { code = 999 }
        local got = { peer = con.peer, remote = con:remote_addr(), code = con.resp.code }
        con.peer = nil
        got.peer_nil = con.peer
        con:add_header('x-e', '5')
        con:send('assigned')
        seen.assign = got
    elseif path == '/cleared' then
        -- a field set to nil after its first read stays nil
        local _ = con.resp and con.peer
        con.resp, con.peer = nil, nil
        seen.cleared = { resp = con.resp, peer = con.peer, remote = con:remote_addr() }
        con:add_header('x-f', '6')
        con:send('cleared')
    elseif path == '/reqlazy' then
        -- req's fields are stored in it on their first read: the handler
        -- read path only
        local got = { keys = {}, keys_read = {} }
        got.raw_method = rawget(req, 'method')
        for k in pairs(req) do got.keys[#got.keys + 1] = k end
        got.mt = getmetatable(req)
        got.setmt = { pcall(setmetatable, req, {}) }
        got.method = req.method
        got.raw_method2 = rawget(req, 'method')
        local headers = req.headers
        got.headers_same = rawget(req, 'headers') == headers and req.headers == headers
        got.host, got.foo = headers.host, headers['x-foo']
        got.qs, got.q = req.query_string, req.query.q
        got.major, got.minor = req.major_version, req.minor_version
        -- assigned before its first read: the script's value
        req.raw_path = 'mine'
        got.raw_path, got.raw_raw_path = req.raw_path, rawget(req, 'raw_path')
        -- set to nil before and after its first read: nil from then on
        req.query = nil
        got.query = req.query
        got.form_type = type(req.form)
        req.form = nil
        got.form = req.form
        for k in pairs(req) do got.keys_read[#got.keys_read + 1] = k end
        seen.reqlazy = got
        seen.reqlazy_req = req
        con:send('reqlazy')
    elseif path == '/reqkept' then
        -- never read here: the main task reads req after the handler ended
        seen.reqkept = req
        con:send('reqkept')
    elseif path == '/takeover' then
        -- a 101 of the script's own: req.headers, not read before the
        -- take-over, is kept in Go past it (or replaced by the script)
        if req.query.assign then
            req.headers = { mine = 'yes' }
        end
        assert(con:set_status(101))
        con:add_header('upgrade', 'x-test')
        con:add_header('connection', 'upgrade')
        assert(con:flush())
        local h = req.headers
        seen.takeover = { foo = h['x-foo'], host = h.host, mine = h.mine, upgrade = h.upgrade }
    elseif path == '/upmod' then
        -- the upgrade sees the script's changes to req: a key and a
        -- protocol of its own
        req.headers['sec-websocket-key'] = 'dGhlIHNhbXBsZSBub25jZQ=='
        req.headers['sec-websocket-protocol'] = 'mine, other'
        local ws = assert(websocket.upgrade(con, req))
        ws:recv_frame(2)
    elseif path == '/upver' then
        -- a version the script changed is the one the upgrade checks
        if req.query.field == 'major' then
            req.major_version = 2
        else
            local _ = req.major_version
            req.minor_version = 0
        end
        local ws, uerr = websocket.upgrade(con, req)
        seen.upver = { ws = ws, err = uerr }
        con:send_error(400, nil, uerr)
    elseif path == '/upsent' then
        con:send('x')
        local ws, uerr = websocket.upgrade(con, req)
        seen.upsent = { ws = ws, err = uerr }
    elseif path == '/upfail' then
        local ws, uerr = websocket.upgrade(con, req)
        assert(not ws)
        con:send_error(400, nil, uerr)
    elseif path == '/uppage' then
        -- an Upgrade request answered with a page, body read first
        local body = assert(con:read_body())
        con:add_header('content-length', #body + 4)
        con:send('page', body)
    elseif path == '/upfalse' then
        return false
    elseif path == '/chunked' then
        con:send('chunk-')
        con:send('body')
    elseif path == '/echo' then
        local body, err = con:read_body(nil, 2.0)
        assert(body, err)
        con:add_header('x-echo-len', #body)
        con:add_header('content-length', #body)
        con:send(body)
    elseif path == '/form' then
        local parts, cur = {}, nil
        while true do
            local typ, v = con:read_formdata(req, 2.0)
            assert(typ, v)
            if typ == 'header' then
                if v[1] == 'content-disposition' then
                    cur = { name = v[2]:match('name="([^"]+)"'), data = '' }
                    parts[#parts + 1] = cur
                end
            elseif typ == 'body' then
                cur.data = cur.data .. v[1]
            elseif typ == 'end' then
                break
            end
        end
        con:send(parts[1].data .. '|' .. parts[2].data .. '|' .. #parts[3].data)
    elseif path == '/missing' then
        con:send_error(404, nil, 'missing')
    elseif path == '/forbidden' then
        con:send_error(403)
    elseif path == '/redirect' then
        con:redirect(302, '/index.html')
    elseif path == '/status' then
        assert(con:set_status(201) == true)
        con:add_header('x-a', '1')
        con:send('a', 1, true, nil)
        seen.head_sent = con.resp.head_sent
        seen.late = { pcall(con.add_header, con, 'x-b', '2') }
    elseif path == '/flush' then
        con:send('first')
        assert(con:flush())
        time.sleep(0.05)
        con:send('second')
    elseif path == '/false' then
        con:send('never')
        return false
    elseif path == '/fail' then
        error('handler failure on purpose')
    elseif path == '/sendfile' then
        assert(con:send_file(docroot .. '/index.html'))
    else
        con:serve_file(req)
    end
end

eco.run(function()
    local opts = { reuseaddr = true, docroot = docroot, index = 'index.html', http_keepalive = 2 }
    local _, err = http.listen('127.0.0.1', port, opts, handler)
    error('listen failed: ' .. tostring(err))
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

local res, err

-- query parsing: values %XX-unescaped, '+' kept, pairs without '=' dropped, last wins
res = assert(client.request('GET', base .. '/query?a=hello%20eco'))
assert(res.code == 200 and res.body == 'hello eco' and res.headers['x-query-a'] == 'hello eco')
res = assert(client.get(base .. '/query?a=1&c&=z&a=2&d=x%2By+z'))
assert(seen.query.a == '2' and seen.query.d == 'x+y+z' and seen.query.c == nil)
assert(seen.query_string == 'a=1&c&=z&a=2&d=x%2By+z')

-- the req table
res = assert(client.request('GET', base .. '/req?x=1', nil, { headers = { ['X-Foo'] = 'bar' } }))
local req = seen.req
assert(req.method == 'GET' and req.raw_path == '/req?x=1' and req.path == '/req')
assert(req.major_version == 1 and req.minor_version == 1)
assert(req.headers['x-foo'] == 'bar' and req.headers['host'] == '127.0.0.1:' .. port)
assert(type(req.form) == 'table')
assert(seen.peer.ipaddr == '127.0.0.1' and seen.peer.family == socket.AF_INET and seen.peer.port > 0)
local function sorted(t)
    table.sort(t)
    return table.concat(t, ' ')
end
local keys = {}
for k in pairs(req) do keys[#keys + 1] = k end
assert(sorted(keys) == 'form headers major_version method minor_version path query query_string raw_path',
    sorted(keys))
-- path: raw_path up to '?', %XX-unescaped only when it holds a '%'
res = assert(client.request('GET', base .. '/req?'))
assert(seen.req.raw_path == '/req?' and seen.req.path == '/req' and seen.req.query_string == '')
assert(next(seen.req.query) == nil)
res = assert(client.request('GET', base .. '/r%65q'))
assert(seen.req.raw_path == '/r%65q' and seen.req.path == '/req' and seen.req.query_string == '')
res = assert(client.request('GET', base .. '/r%65q?a=%41'))
assert(seen.req.raw_path == '/r%65q?a=%41' and seen.req.path == '/req' and seen.req.query.a == 'A')

-- con and req of a WebSocket handler, after the take-over: plain tables
-- with every field, the 101's head in con.resp
for round = 1, 2 do
    seen.up = nil
    local ws = assert(websocket.connect('ws://127.0.0.1:' .. port .. '/up', { headers = { ['X-Round'] = round } }))
    assert(ws:send_text('hi'))
    local data, typ = ws:recv_frame(2)
    assert(data == 'hi' and typ == 'text', tostring(data))
    local up = assert(seen.up)
    assert(up.raw_resp == nil and up.raw_peer == nil)
    assert(sorted(up.con_keys) == '', sorted(up.con_keys))
    assert(sorted(up.con_keys_read) == 'peer resp', sorted(up.con_keys_read))
    assert(sorted(up.con_keys_all) == 'body_remain options peer resp sock', sorted(up.con_keys_all))
    assert(up.remain == 0)
    -- req's fields likewise: the handler read path, the upgrade headers
    -- (and asked Go for the versions)
    assert(sorted(up.req_keys) == 'headers path', sorted(up.req_keys))
    assert(sorted(up.ws_keys) == 'opts sock', sorted(up.ws_keys))
    local h = up.req_headers
    assert(h['upgrade'] == 'websocket' and h['connection'] == 'upgrade' and h['sec-websocket-version'] == '13')
    assert(h['host'] == '127.0.0.1:' .. port and h['x-round'] == tostring(round) and h['sec-websocket-key'])
    local rh = up.resp_headers
    assert(rh['server'] and rh['server']:find('^Lua%-eco/') and rh['date']:find(' GMT$'), tostring(rh['server']))
    assert(rh['keep-alive'] == 'timeout=2' and rh['upgrade'] == 'websocket' and rh['connection'] == 'upgrade')
    assert(rh['sec-websocket-accept'])
    assert(up.head_sent == true and up.code == 101 and up.resp_version == '1.1' and up.path == '/up')
    assert(up.peer == up.remote and up.peer.ipaddr == '127.0.0.1' and up.peer.port > 0)
    assert(up.body[1] == '' and up.form[1] == nil and up.form[2] == 'not allowed method')
    assert(up.sock and up.options.http_keepalive == 2)
    ws:send_close()
end

-- Upgrade requests that do not end in a 101: each gets its one reply and the
-- connection closes after it (lua-eco closes after "Connection: upgrade")
local function exchange(request)
    local s = assert(socket.connect_tcp('127.0.0.1', port))
    assert(s:send(request))
    local reply, rerr = s:read('a', 3)
    s:close()
    return reply, rerr
end
local function upgradeRequest(path, extra)
    return 'GET ' .. path .. ' HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' .. (extra or '') .. '\r\n'
end
do
    -- no Sec-WebSocket-Version: upgrade fails, send_error(400, nil, err) is chunked
    local reply = assert(exchange(upgradeRequest('/upfail', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n')))
    assert(reply:find('^HTTP/1%.1 400 Bad Request\r\n'), reply)
    assert(reply:find('\r\nConnection: close\r\n') and reply:find('\r\nTransfer%-Encoding: chunked\r\n'), reply)
    local body = reply:match('\r\n\r\n(.*)$')
    local want = 'not found "sec-websocket-version" request header'
    assert(body == string.format('%x\r\n%s\r\n0\r\n\r\n', #want, want), body)
    -- a page with content-length
    reply = assert(exchange(upgradeRequest('/uppage')))
    assert(reply:find('^HTTP/1%.1 200 OK\r\n') and reply:find('\r\nContent%-Length: 4\r\n'), reply)
    assert(reply:match('\r\n\r\n(.*)$') == 'page', reply)
    -- a body (net/http reads it), pipelined with a second request
    reply = assert(exchange('GET /uppage HTTP/1.1\r\nHost: x\r\nUpgrade: foo\r\nConnection: Upgrade\r\n' ..
        'Content-Length: 3\r\n\r\nabcGET /ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'))
    assert(reply:find('^HTTP/1%.1 200 OK\r\n') and reply:find('\r\n\r\npageabcHTTP/1%.1 200 OK\r\n'), reply)
    assert(reply:find('\r\n\r\nok$'), reply)
    -- a failing handler: 500, and the server goes on
    reply = assert(exchange(upgradeRequest('/fail')))
    assert(reply:find('^HTTP/1%.1 500 Internal Server Error\r\n') and reply:find('\r\nContent%-Length: 0\r\n'), reply)
    -- false: the connection is dropped without a reply
    local _, rerr = exchange(upgradeRequest('/upfalse'))
    assert(rerr == nil or rerr == 'closed', rerr)
    -- a head too long to be read at once, a request with bare line feeds and
    -- an HTTP/1.0 one are net/http's; the upgrade still works over them
    local long = 'X-Long: ' .. string.rep('a', 6000) .. '\r\n'
    local s = assert(socket.connect_tcp('127.0.0.1', port))
    assert(s:send(upgradeRequest('/up', long .. 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' ..
        'Sec-WebSocket-Version: 13\r\n')))
    reply = assert(s:read('l', 3))
    assert(reply == 'HTTP/1.1 101 Switching Protocols', reply)
    s:close()
    reply = assert(exchange(upgradeRequest('/uppage'):gsub('\r\n', '\n')))
    assert(reply:find('^HTTP/1%.1 200 OK\r\n') and reply:match('\r\n\r\n(.*)$') == 'page', reply)
    reply = assert(exchange(upgradeRequest('/uppage'):gsub('HTTP/1%.1', 'HTTP/1.0')))
    assert(reply:find('^HTTP/1%.0 200 OK\r\n') and reply:match('\r\n\r\n(.*)$') == 'page', reply)
    ready()
end

-- con.resp and con.peer are built on their first read (rawget, next and
-- pairs do not see them before); reads give what eager tables gave
res = assert(client.request('GET', base .. '/lazy'))
assert(res.code == 202 and res.body == 'lazy' and res.headers['x-a'] == '1' and res.headers['x-b'] == '2')
assert(res.headers['server'] == nil and res.headers['date'])
do
    local got = assert(seen.lazy)
    assert(got.raw_resp == nil and got.raw_peer == nil)
    assert(sorted(got.keys) == '', sorted(got.keys))
    assert(sorted(got.keys_read) == 'peer resp', sorted(got.keys_read))
    -- sock and formed are absent before a take-over and a read_formdata
    assert(got.sock == nil and got.formed == nil and got.remain == 0 and got.options.http_keepalive == 2)
    assert(sorted(got.keys_all) == 'body_remain options peer resp', sorted(got.keys_all))
    assert(got.same and got.code == 200 and got.head_sent == false and got.version == '1.1')
    assert(got.server:find('^Lua%-eco/') and got.date:find(' GMT$') and got.ka == 'timeout=2' and got.data)
    assert(got.peer.ipaddr == '127.0.0.1' and got.peer.family == socket.AF_INET and got.peer.port > 0)
    assert(got.peer_same)
    assert(got.code2 == 202 and got.status2 == 'Taken' and got.xa == '1')
    assert(got.head_sent2 == true and got.chunked2 == true)
end
res = assert(client.request('GET', base .. '/late'))
assert(res.code == 203 and res.body == 'late' and res.headers['x-c'] == '33' and res.headers['x-gone'] == nil)
do
    local got = assert(seen.late)
    assert(got.peer_first.ipaddr == '127.0.0.1' and got.raw_peer == got.peer_first)
    assert(got.raw_resp == nil)
    assert(got.code == 203 and got.status == 'Late' and got.head_sent == true and got.chunked == true)
    assert(got.version == '1.1' and got.data)
    -- the headers in the order they were first set, x-gone left out
    local order = table.concat(got.order, ' '):gsub('date=[^ ]+ [^G]+GMT', 'date=D'):gsub('server=%S+ %S+', 'server=S')
    assert(order == 'server=S date=D keep-alive=timeout=2 x-c=33', order)
    assert(got.late[1] == false and got.late[2]:find('http head has been sent', 1, true))
    -- the con outlives its handler with the same fields
    assert(seen.late_con.resp.code == 203 and seen.late_con.peer == got.peer_first)
end
res = assert(client.request('GET', base .. '/untouched'))
assert(res.body == 'untouched' and res.headers['x-u'] == 'u')
do
    -- con.resp and con.peer were built when the handler ended
    local con = assert(seen.untouched)
    local keys = {}
    for k in pairs(con) do keys[#keys + 1] = k end
    assert(sorted(keys) == 'body_remain options peer resp', sorted(keys))
    assert(rawget(con, 'resp') and con.resp.code == 200 and con.resp.head_sent == true)
    assert(con.resp.headers['x-u'] == 'u' and con.resp.chunked == true)
    assert(con.peer.ipaddr == '127.0.0.1')
end
res = assert(client.post(base .. '/remain?first=1', 'abcdefg'))
assert(res.body == 'remain')
assert(seen.remain.before == 7 and seen.remain.part == 'abc' and seen.remain.after == 4 and seen.remain.raw == 4)
assert(seen.remain.done == 0)
res = assert(client.post(base .. '/remain', 'abcdefg'))
assert(res.body == 'remain')
assert(seen.remain.before == nil and seen.remain.part == 'abc' and seen.remain.after == 4 and seen.remain.raw == 4)
assert(seen.remain.done == 0)
res = assert(client.request('GET', base .. '/assign'))
assert(res.code == 200 and res.body == 'assigned' and res.headers['x-e'] == '5')
do
    local got = assert(seen.assign)
    assert(got.peer == 'mine' and got.remote == 'mine' and got.code == 999 and got.peer_nil == nil)
end
res = assert(client.request('GET', base .. '/cleared'))
assert(res.code == 200 and res.body == 'cleared' and res.headers['x-f'] == '6')
assert(seen.cleared.resp == nil and seen.cleared.peer == nil and seen.cleared.remote == nil)
do
    -- a head already sent refuses the upgrade, asked without building con.resp
    local s = assert(socket.connect_tcp('127.0.0.1', port))
    assert(s:send(upgradeRequest('/upsent', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' ..
        'Sec-WebSocket-Version: 13\r\n')))
    local reply = assert(s:read('l', 2))
    assert(reply == 'HTTP/1.1 200 OK', reply)
    s:close()
    assert(seen.upsent.ws == nil and seen.upsent.err == 'response header already sent', tostring(seen.upsent.err))
end

-- req's fields are stored on their first read (rawget, next and pairs do
-- not see them before); reads, assignments and nil give what a plain
-- table gave; the metatable is protected while the handler runs and gone
-- after it
res = assert(client.request('GET', base .. '/reqlazy?q=1', nil, { headers = { ['X-Foo'] = 'bar' } }))
assert(res.body == 'reqlazy')
do
    local got = assert(seen.reqlazy)
    assert(got.raw_method == nil and sorted(got.keys) == 'path', sorted(got.keys))
    assert(got.mt == false)
    assert(got.setmt[1] == false and got.setmt[2]:find('cannot change a protected metatable', 1, true), got.setmt[2])
    assert(got.method == 'GET' and got.raw_method2 == 'GET' and got.headers_same)
    assert(got.host == '127.0.0.1:' .. port and got.foo == 'bar')
    assert(got.qs == 'q=1' and got.q == '1' and got.major == 1 and got.minor == 1)
    assert(got.raw_path == 'mine' and got.raw_raw_path == 'mine')
    assert(got.query == nil and got.form_type == 'table' and got.form == nil)
    assert(sorted(got.keys_read) == 'headers major_version method minor_version path query_string raw_path',
        sorted(got.keys_read))
    -- after the handler: a plain table with what it held then
    local req = seen.reqlazy_req
    assert(getmetatable(req) == nil)
    local keys = {}
    for k in pairs(req) do keys[#keys + 1] = k end
    assert(sorted(keys) == 'headers major_version method minor_version path query_string raw_path', sorted(keys))
    assert(req.raw_path == 'mine' and req.query == nil and req.form == nil and req.headers['x-foo'] == 'bar')
end
-- (twice, with headers whose values one request shares with the next when
-- they are the same: each req has its own request's)
local kept = {}
for _, ua in ipairs({ 'ua-1', 'ua-1', 'ua-2' }) do
    res = assert(client.request('GET', base .. '/reqkept?a=%41&b', nil,
        { headers = { ['X-Foo'] = 'baz', ['User-Agent'] = ua, ['Origin'] = 'http://' .. ua } }))
    assert(res.body == 'reqkept')
    kept[#kept + 1] = assert(seen.reqkept)
end
for i, ua in ipairs({ 'ua-1', 'ua-1', 'ua-2' }) do
    -- every field was stored when the handler ended
    local req = kept[i]
    assert(getmetatable(req) == nil)
    local keys = {}
    for k in pairs(req) do keys[#keys + 1] = k end
    assert(sorted(keys) == 'form headers major_version method minor_version path query query_string raw_path',
        sorted(keys))
    assert(req.method == 'GET' and req.raw_path == '/reqkept?a=%41&b' and req.path == '/reqkept')
    assert(req.query_string == 'a=%41&b' and req.query.a == 'A' and req.query.b == nil and next(req.form) == nil)
    assert(req.major_version == 1 and req.minor_version == 1 and req.headers['x-foo'] == 'baz')
    assert(req.headers['user-agent'] == ua and req.headers['origin'] == 'http://' .. ua, req.headers['user-agent'])
    assert(req.headers['host'] == '127.0.0.1:' .. port)
end
for _, assign in ipairs({ false, true }) do
    seen.takeover = nil
    local s = assert(socket.connect_tcp('127.0.0.1', port))
    assert(s:send('GET /takeover' .. (assign and '?assign=1' or '') ..
        ' HTTP/1.1\r\nHost: h\r\nUpgrade: x-test\r\nConnection: Upgrade\r\nX-Foo: kept\r\n\r\n'))
    local status = assert(s:read('l', 2))
    assert(status == 'HTTP/1.1 101 Switching Protocols', status)
    s:close()
    for _ = 1, 100 do
        if seen.takeover then break end
        time.sleep(0.01)
    end
    local got = assert(seen.takeover)
    if assign then
        assert(got.mine == 'yes' and got.foo == nil and got.host == nil)
    else
        assert(got.foo == 'kept' and got.host == 'h' and got.upgrade == 'x-test' and got.mine == nil)
    end
end
-- read101 reads a 101 status line and its head from s: the header fields
-- by name, each at most once.
local function read101(s)
    local status = assert(s:read('l', 2))
    assert(status == 'HTTP/1.1 101 Switching Protocols', status)
    local head = {}
    while true do
        local line = assert(s:read('l', 2))
        if line == '' then break end
        local k, v = line:match('^([^:]+): (.*)$')
        assert(k and head[k] == nil, line)
        head[k] = v
    end
    return head
end

do
    -- the upgrade reads req as the script left it
    local s = assert(socket.connect_tcp('127.0.0.1', port))
    assert(s:send(upgradeRequest('/upmod', 'Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\n' ..
        'Sec-WebSocket-Version: 13\r\n')))
    local head = read101(s)
    assert(head['Sec-Websocket-Accept'] == 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=', head['Sec-Websocket-Accept'])
    assert(head['Sec-Websocket-Protocol'] == 'mine', head['Sec-Websocket-Protocol'])
    s:close()
    for _, field in ipairs({ 'major', 'minor' }) do
        seen.upver = nil
        local reply = assert(exchange(upgradeRequest('/upver?field=' .. field,
            'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n')))
        assert(reply:find('^HTTP/1%.1 400 Bad Request\r\n'), reply)
        assert(seen.upver.ws == nil and seen.upver.err == 'bad http version', tostring(seen.upver.err))
    end
end

-- the 101 head on the wire (lua-eco's title case, no body framing headers)
do
    local s = assert(socket.connect_tcp('127.0.0.1', port))
    assert(s:send('GET /up HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' ..
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n'))
    local head = read101(s)
    assert(head['Sec-Websocket-Accept'] == 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=' and head['Upgrade'] == 'websocket')
    assert(head['Connection'] == 'upgrade' and head['Keep-Alive'] == 'timeout=2' and head['Date'])
    assert(head['Server']:find('^Lua%-eco/') and not head['Transfer-Encoding'] and not head['Content-Length'])
    s:close()
end

-- chunked output without content-length
res = assert(client.request('GET', base .. '/chunked'))
assert(res.body == 'chunk-body' and res.headers['transfer-encoding'] == 'chunked')

-- request bodies: string, body_with_file, form
res = assert(client.post(base .. '/echo', 'payload'))
assert(res.body == 'payload' and res.headers['x-echo-len'] == '7')
local f = io.open(docroot .. '/../upload.txt', 'w')
f:write('ABCDE')
f:close()
res = assert(client.request('POST', base .. '/echo', assert(client.body_with_file(docroot .. '/../upload.txt'))))
assert(res.body == 'ABCDE' and res.headers['x-echo-len'] == '5')
local form = client.form()
assert(form:add('name', 'eco') and form:add('note', 'ok') and form:add_file('file', docroot .. '/../upload.txt'))
res = assert(client.request('POST', base .. '/form', form))
assert(res.body == 'eco|ok|5', res.body)

-- status, headers, send(...) and the head-sent rule
res = assert(client.request('GET', base .. '/status'))
assert(res.code == 201 and res.headers['x-a'] == '1' and res.body == 'a1truenil', res.body)
assert(seen.head_sent == true)
assert(seen.late[1] == false and seen.late[2]:find('http head has been sent', 1, true), tostring(seen.late[2]))

-- flush then more output
res = assert(client.request('GET', base .. '/flush'))
assert(res.body == 'firstsecond')

-- send_error, redirect
res = assert(client.request('GET', base .. '/missing'))
assert(res.code == 404 and res.body == 'missing' and res.headers['connection'] == 'close')
res = assert(client.request('GET', base .. '/forbidden'))
assert(res.code == 403 and res.headers['content-length'] == '0' and res.body == '')
res = assert(client.request('GET', base .. '/redirect'))
assert(res.code == 302 and res.headers['location'] == '/index.html')

-- a handler returning false drops the connection without a reply
res, err = client.request('GET', base .. '/false', nil, { timeout = 2 })
assert(res == nil and err, 'want an error, got ' .. tostring(res and res.code))

-- a failing handler ends its own request with a 500 and the server goes on
res, err = client.request('GET', base .. '/fail')
assert(res, err)
assert(res.code == 500, res.code)
ready()

-- serve_file: 200 with etag, 304, HEAD, 403 above the docroot, 404
res = assert(client.request('GET', base .. '/index.html'))
assert(res.code == 200 and res.body == '<h1>index</h1>' and res.headers['content-length'] == '14')
assert(res.headers['content-type'] == 'text/html')
local etag = assert(res.headers['etag'])
res = assert(client.request('GET', base .. '/', nil, { headers = { ['If-None-Match'] = etag } }))
assert(res.code == 304 and res.headers['transfer-encoding'] == nil and res.body == '', res.code)
res = assert(client.request('HEAD', base .. '/index.html'))
assert(res.code == 200 and res.body == nil and res.headers['content-length'] == '14')
res = assert(client.request('GET', base .. '/..%2Fupload.txt'))
assert(res.code == 403 and res.body == '', res.code)
res = assert(client.request('GET', base .. '/nope.html'))
assert(res.code == 404)
res = assert(client.request('GET', base .. '/sendfile'))
assert(res.body == '<h1>index</h1>')

-- body_to_file as a path and as a function
res = assert(client.request('GET', base .. '/chunked', nil, { body_to_file = docroot .. '/../out.txt' }))
assert(res.body == nil)
f = io.open(docroot .. '/../out.txt')
assert(f:read('*a') == 'chunk-body')
f:close()
local chunks = {}
res = assert(client.request('GET', base .. '/index.html', nil, { body_to_file = function(d) chunks[#chunks + 1] = d end }))
assert(res.body == nil and table.concat(chunks) == '<h1>index</h1>')

-- the client object: sock, close, request on a new connection each time
local hc = client.new()
assert(select(2, hc:sock()) == 'not connected')
res = assert(hc:request('GET', base .. '/ready'))
assert(res.body == 'ok' and hc:sock())
hc:close()
hc:close()

-- client errors
res, err = client.request('GET', 'ftp://127.0.0.1/x')
assert(res == nil and err == 'unsupported scheme: ftp', err)
res, err = client.request('GET', base .. '/ready', {})
assert(res == nil and err == 'invalid body', err)
res, err = client.request('GET', 'http://127.0.0.1:1/')
assert(res == nil and err == 'connect "127.0.0.1 1" fail: Connection refused', err)
res, err = client.request('GET', 'not a url')
assert(res == nil and err == 'invalid url', err)

-- a malformed request (bad content-length) does not stop the server
do
    local s = assert(socket.connect_tcp('127.0.0.1', port))
    assert(s:send('POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n') > 0)
    s:read(4096, 2)
    s:close()
    ready()
end

-- many clients at once
do
    local done = 0
    for i = 1, 8 do
        eco.run(function()
            for j = 1, 20 do
                local body = 'c' .. i .. 'm' .. j
                local r = assert(client.post(base .. '/echo', body))
                assert(r.body == body)
            end
            done = done + 1
        end)
    end
    for _ = 1, 1000 do
        if done == 8 then break end
        time.sleep(0.01)
    end
    assert(done == 8, 'concurrent clients did not finish')
end

print('http_spec ok')
os.exit(0)
