-- An eco client: a failed connect to arg[2] (not a WebSocket server),
-- then a session with the echo server at arg[1]: "ping", "pong!" as text,
-- each echo read back, then close 1000 and the server's close read.
local eco = require 'eco'
local websocket = require 'eco.websocket'

eco.run(function()
    local bad, berr = websocket.connect(arg[2])
    assert(not bad and berr, 'connect to a non-WebSocket server must fail')
    local ws, err = websocket.connect(arg[1])
    assert(ws, err)
    for _, m in ipairs({'ping', 'pong!'}) do
        assert(ws:send_text(m))
        local data, typ = ws:recv_frame(5)
        assert(data == m and typ == 'text', tostring(data))
    end
    assert(ws:send_close(1000, 'done'))
    local _, typ = ws:recv_frame(5)
    assert(typ == 'close', typ)
    ws.sock:close()
    print('client done')
end)
