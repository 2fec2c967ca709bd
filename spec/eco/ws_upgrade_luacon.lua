-- websocket.upgrade with a connection object written in Lua: the request
-- is judged from the req table (lua-eco's checks, lua-eco's words), and
-- nothing is written to the con when the request is refused.
local websocket = require 'eco.websocket'

local function fake_con()
    local con = { resp = { head_sent = false }, sock = {}, headers = {} }
    function con:discard_body() return true end
    function con:set_status(code) self.status = code end
    function con:add_header(k, v) self.headers[k] = v end
    function con:flush() self.flushed = true; return true end
    return con
end

local function req(headers, major, minor, method)
    return { method = method, major_version = major or 1, minor_version = minor or 1, headers = headers }
end

local good = 'dGhlIHNhbXBsZSBub25jZQ=='

local refusals = {
    { req({ connection = 'upgrade', ['sec-websocket-version'] = '13', ['sec-websocket-key'] = good }),
      'not found "upgrade" request header' },
    { req({ upgrade = 'h2c', connection = 'upgrade', ['sec-websocket-version'] = '13', ['sec-websocket-key'] = good }),
      'bad "upgrade" request header:h2c' },
    { req({ upgrade = 'websocket', ['sec-websocket-version'] = '13', ['sec-websocket-key'] = good }),
      'not found "connection" request header' },
    { req({ upgrade = 'websocket', connection = 'close', ['sec-websocket-version'] = '13', ['sec-websocket-key'] = good }),
      'bad "connection" request header: close' },
    { req({ upgrade = 'websocket', connection = 'upgrade', ['sec-websocket-key'] = good }),
      'not found "sec-websocket-version" request header' },
    { req({ upgrade = 'websocket', connection = 'upgrade', ['sec-websocket-version'] = '8', ['sec-websocket-key'] = good }),
      'bad "sec-websocket-version" request header: 8' },
    { req({ upgrade = 'websocket', connection = 'upgrade', ['sec-websocket-version'] = '13' }),
      'not found "sec-websocket-key" request header' },
    { req({ upgrade = 'websocket', connection = 'upgrade', ['sec-websocket-version'] = '13', ['sec-websocket-key'] = 'c2hvcnQ=' }),
      'bad "sec-websocket-key" request header' },
    { req({ upgrade = 'websocket', connection = 'upgrade', ['sec-websocket-version'] = '13', ['sec-websocket-key'] = good }, 1, 0),
      'bad http version' },
    { req({ upgrade = 'websocket', connection = 'upgrade', ['sec-websocket-version'] = '13', ['sec-websocket-key'] = good }, 1, 1, 'POST'),
      'bad method: POST' },
}

for i, case in ipairs(refusals) do
    local con = fake_con()
    local ws, err = websocket.upgrade(con, case[1])
    assert(ws == nil and err == case[2], string.format('case %d: got %s, %s', i, tostring(ws), tostring(err)))
    assert(con.status == nil and con.flushed == nil, 'case ' .. i .. ': the con was written to')
end

local con = fake_con()
local ws, err = websocket.upgrade(con, req({
    upgrade = 'WebSocket', connection = 'keep-alive, Upgrade',
    ['sec-websocket-version'] = '13', ['sec-websocket-key'] = good,
    ['sec-websocket-protocol'] = ' chat , superchat',
}))
assert(ws, err)
assert(con.status == 101 and con.flushed)
assert(con.headers['sec-websocket-accept'] == 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=')
assert(con.headers['sec-websocket-protocol'] == 'chat')
assert(con.headers['upgrade'] == 'websocket' and con.headers['connection'] == 'upgrade')

-- A con whose flush fails: upgrade returns flush's error.
con = fake_con()
function con:flush() return nil, 'closed' end
ws, err = websocket.upgrade(con, req({ upgrade = 'websocket', connection = 'upgrade',
    ['sec-websocket-version'] = '13', ['sec-websocket-key'] = good }))
assert(ws == nil and err == 'closed')

print('ws_upgrade_luacon ok')
