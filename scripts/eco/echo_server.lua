#!/usr/bin/env golua-ws
-- An eco-style WebSocket echo server (lua-eco API, runs unchanged on lua-eco).
--
--   golua-ws scripts/eco/echo_server.lua [port]        (or PORT=... ; default 8080)
--
-- Every WebSocket request (any path, /ws in the page) is echoed frame by
-- frame: text, binary and continuation frames go back with the same FIN bit
-- and opcode, a ping is answered with a pong, and a close is answered with a
-- close carrying the same code before the connection ends. Any other request
-- gets a small test page. MAX_PAYLOAD_LEN sets the frame limit (default 16 MiB).

local eco = require 'eco'
local http = require 'eco.http.server'
local websocket = require 'eco.websocket'

local port = tonumber(arg and arg[1]) or tonumber(os.getenv('PORT')) or 8080
local max_payload_len = tonumber(os.getenv('MAX_PAYLOAD_LEN')) or 16 * 1024 * 1024
local quiet = os.getenv('QUIET') ~= nil

local opcodes = { text = 0x1, binary = 0x2, continuation = 0x0 }

local page = [[<!doctype html>
<html><head><meta charset="utf-8"><title>golua-ws echo</title></head>
<body>
<h1>golua-ws eco echo server</h1>
<input id="msg" value="hello"> <button id="send">send</button>
<pre id="log"></pre>
<script>
const log = (s) => { document.getElementById('log').textContent += s + '\n'; };
const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
ws.onopen = () => log('open');
ws.onmessage = (e) => log('echo: ' + e.data);
ws.onclose = (e) => log('close ' + e.code);
document.getElementById('send').onclick = () => ws.send(document.getElementById('msg').value);
</script>
</body></html>
]]

local function echo(ws)
    while true do
        local data, typ, err = ws:recv_frame()
        if not data then
            if not quiet then print('recv_frame: ' .. tostring(err)) end
            return
        end
        if typ == 'ping' then
            ws:send_pong(data)
        elseif typ == 'close' then
            if err then
                ws:send_close(err, data)
            else
                ws:send_close()
            end
            return
        elseif typ ~= 'pong' then
            local n, serr = ws:send_frame(err ~= 'again', opcodes[typ], data)
            if not n then
                if not quiet then print('send_frame: ' .. tostring(serr)) end
                return
            end
        end
    end
end

local function handler(con, req)
    if req.headers['upgrade'] then
        local ws, err = websocket.upgrade(con, req, { max_payload_len = max_payload_len })
        if not ws then
            con:send_error(400, nil, err)
            return
        end
        echo(ws)
        return
    end
    con:add_header('content-type', 'text/html; charset=utf-8')
    con:add_header('content-length', #page)
    con:send(page)
end

eco.run(function()
    print(string.format('eco echo server listening on ws://0.0.0.0:%d/ws', port))
    local _, err = http.listen(nil, port, { reuseaddr = true }, handler)
    print('listen failed: ' .. tostring(err))
    os.exit(1)
end)
