#!/usr/bin/env golua-ws
-- An eco-style WebSocket client (lua-eco API, runs unchanged on lua-eco).
--
--   golua-ws scripts/eco/client.lua ws://127.0.0.1:8080/ws [message ...]
--       sends each message as a text frame and prints what comes back
--   golua-ws scripts/eco/client.lua --echo ws://host:port/path
--       echo client: sends back every frame it receives (same FIN bit and
--       opcode), answers pings, answers the closing handshake and exits
--       (this is how the RFC 6455 client suite drives it)

local eco = require 'eco'
local websocket = require 'eco.websocket'

local args = { ... }
local echo = false
if args[1] == '--echo' then
    echo = true
    table.remove(args, 1)
end
local url = args[1] or 'ws://127.0.0.1:8080/ws'
local max_payload_len = tonumber(os.getenv('MAX_PAYLOAD_LEN')) or 16 * 1024 * 1024

local opcodes = { text = 0x1, binary = 0x2, continuation = 0x0 }

local function echo_loop(ws)
    while true do
        local data, typ, err = ws:recv_frame()
        if not data then
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
            -- give the server a moment to close its side first (RFC 6455 7.1.1)
            ws:recv_frame(1)
            return
        elseif typ ~= 'pong' then
            if not ws:send_frame(err ~= 'again', opcodes[typ], data) then
                return
            end
        end
    end
end

eco.run(function()
    local ws, err = websocket.connect(url, { max_payload_len = max_payload_len, timeout = 10 })
    if not ws then
        print('connect failed: ' .. tostring(err))
        os.exit(1)
    end
    if echo then
        echo_loop(ws)
        ws.sock:close()
        return
    end
    for i = 2, #args do
        ws:send_text(args[i])
        local data, typ = ws:recv_frame(5)
        print(typ, data)
    end
    ws:send_close(1000, 'bye')
    local data, typ, code = ws:recv_frame(5)
    print(typ, code, data)
    ws.sock:close()
end)
