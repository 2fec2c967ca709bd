-- eco.websocket handshakes for golua-ws: lua-eco's checks, in lua-eco's
-- order, with lua-eco's error strings. Framing is done in Go over wscore
-- (the methods of the object go.wrap returns).
local go = ...
local http = require 'eco.http.client'

local M = {}

-- Header token helpers are Go functions (go.has_token, go.first_token,
-- go.trim) with the semantics of lua-eco's Lua code: split on ',', trim
-- Lua's %s characters, compare after an ASCII lower(). They are in Go
-- because Lua patterns run gopher-lua's recursive matcher, whose depth
-- would double the stack a WebSocket handler keeps for its whole life.
local has_token, trim = go.has_token, go.trim

function M.upgrade(con, req, opts)
    -- req.major_version and req.minor_version, asked of Go for
    -- eco.http.server's req so that the upgrade does not store them in
    -- req (see go.version).
    local major, minor = go.version(con, req)
    if major == nil then
        major, minor = req.major_version, req.minor_version
    end
    if major ~= 1 or minor ~= 1 then
        return nil, 'bad http version'
    end

    -- con.resp.head_sent, asked of Go for eco.http.server's con so that
    -- the upgrade does not build con.resp (see go.head_sent).
    local sent = go.head_sent(con)
    if sent == nil then
        sent = con.resp.head_sent
    end
    if sent then
        return nil, 'response header already sent'
    end

    local ok, err = con:discard_body()
    if not ok then
        return nil, err
    end

    -- The decision is wscore's (a POST, two keys, a bad key are refused),
    -- worded as lua-eco words its own checks.
    err = go.check(con, req)
    if err then
        return nil, err
    end

    local headers = req.headers
    local accept = go.accept(headers['sec-websocket-key'])
    if not accept then
        return nil, 'bad "sec-websocket-key" request header'
    end

    local val
    local protocol
    val = headers['sec-websocket-protocol']
    if val then
        protocol = go.first_token(val)
    end

    -- golua-ws extension (lua-eco has no compression): permessage-deflate
    -- when opts.permessage_deflate is set and the client offers it.
    local deflate, agreement
    if opts and opts.permessage_deflate and headers['sec-websocket-extensions'] then
        deflate, agreement = go.deflate_reply(headers['sec-websocket-extensions'], opts.permessage_deflate)
    end

    con:set_status(101)
    con:add_header('upgrade', 'websocket')
    con:add_header('connection', 'upgrade')
    if protocol then
        con:add_header('sec-websocket-protocol', protocol)
    end
    con:add_header('sec-websocket-accept', accept)
    if deflate then
        con:add_header('sec-websocket-extensions', deflate)
    end

    ok, err = con:flush()
    if not ok then
        return nil, err
    end

    opts = opts or {}
    opts.max_payload_len = opts.max_payload_len or 65535

    -- con.sock, asked of Go first for the same reason as head_sent.
    local sock = go.con_sock(con)
    if sock == nil then
        sock = con.sock
    end
    return go.wrap({ sock = sock, opts = opts }, false, agreement)
end

function M.connect(uri, opts)
    opts = opts or {}

    local headers = {}
    for k, v in pairs(opts.headers or {}) do
        headers[tostring(k):lower()] = v
    end

    local protocols = opts.protocols
    if type(protocols) == 'table' then
        protocols = table.concat(protocols, ',')
    end
    if protocols then
        headers['sec-websocket-protocol'] = protocols
    end
    protocols = headers['sec-websocket-protocol']

    if opts.origin then
        headers['origin'] = opts.origin
    end

    if opts.permessage_deflate then
        headers['sec-websocket-extensions'] = go.deflate_offer(opts.permessage_deflate)
    end

    local key = go.new_key()
    headers['connection'] = 'upgrade'
    headers['upgrade'] = 'websocket'
    headers['sec-websocket-version'] = '13'
    headers['sec-websocket-key'] = key

    local hc = http.new()
    local res, err = hc:request('GET', uri, nil, {
        insecure = opts.insecure,
        timeout = opts.timeout,
        headers = headers
    })
    if not res then
        return nil, err
    end

    if res.code ~= 101 then
        hc:close()
        return nil, 'connect fail with status code: ' .. tostring(res.code)
    end

    local rh = res.headers

    if not rh['upgrade'] or not has_token(rh['upgrade'], 'websocket') then
        hc:close()
        return nil, 'bad "upgrade" response header'
    end

    if not rh['connection'] or not has_token(rh['connection'], 'upgrade') then
        hc:close()
        return nil, 'bad "connection" response header'
    end

    if rh['sec-websocket-accept'] ~= go.accept(key) then
        hc:close()
        return nil, 'bad "sec-websocket-accept" response header'
    end

    local p = rh['sec-websocket-protocol']
    if p then
        if not has_token(protocols or '', trim(p), true) then
            hc:close()
            return nil, 'bad "sec-websocket-protocol" response header'
        end
    end

    local agreement
    if opts.permessage_deflate and rh['sec-websocket-extensions'] then
        agreement = go.deflate_accept(rh['sec-websocket-extensions'], opts.permessage_deflate)
        if not agreement then
            hc:close()
            return nil, 'bad "sec-websocket-extensions" response header'
        end
    end

    opts.max_payload_len = opts.max_payload_len or 65535

    return go.wrap({ masking = true, hc = hc, sock = hc:sock(), opts = opts }, true, agreement)
end

return M
