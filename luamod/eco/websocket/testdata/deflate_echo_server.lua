-- eco.websocket echo server with permessage-deflate (golua-ws option).
-- arg[1]: port. Echoes frames until the client closes.
local eco = require 'eco'
local http = require 'eco.http.server'
local websocket = require 'eco.websocket'

local port = tonumber(arg[1])
local ops = { text = 0x1, binary = 0x2, continuation = 0x0 }

eco.run(function()
    local _, err = http.listen(nil, port, { reuseaddr = true }, function(con, req)
        local ws, err = websocket.upgrade(con, req, { permessage_deflate = true, max_payload_len = 1 << 24 })
        if not ws then
            error(err)
        end
        while true do
            local data, typ, e = ws:recv_frame()
            if not data then
                return
            end
            if typ == 'close' then
                ws:send_close(e or 1000)
                return
            end
            if typ == 'text' or typ == 'binary' or typ == 'continuation' then
                assert(ws:send_frame(e ~= 'again', ops[typ], data))
            end
        end
    end)
    error('listen: ' .. tostring(err))
end)
eco.loop()
