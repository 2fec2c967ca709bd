-- An eco echo server that counts what it echoes in a golua.metrics
-- counter. arg[1]: the port.
local eco = require 'eco'
local http = require 'eco.http.server'
local websocket = require 'eco.websocket'
local metrics = require 'golua.metrics'

local echoed = metrics.counter('eco_echo_messages_total', 'Messages the eco echo script echoed.', {'typ'})
local port = tonumber(arg[1])
local opcodes = { text = 0x1, binary = 0x2 }

local function handler(con, req)
    local ws, err = websocket.upgrade(con, req)
    if not ws then
        con:send_error(400, nil, err)
        return
    end
    while true do
        local data, typ, code = ws:recv_frame()
        if not data or typ == 'close' then
            if typ == 'close' then ws:send_close(code) end
            return
        end
        if opcodes[typ] then
            echoed:labels(typ):inc()
            ws:send_frame(true, opcodes[typ], data)
        end
    end
end

eco.run(function()
    local _, err = http.listen('127.0.0.1', port, { reuseaddr = true }, handler)
    print('listen failed: ' .. tostring(err))
    os.exit(1)
end)
