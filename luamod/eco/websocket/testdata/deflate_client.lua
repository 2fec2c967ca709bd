-- eco.websocket client with permessage-deflate against a compressing peer.
-- arg[1]: ws:// URL of an echo server. Exits 0 when every check passed.
local eco = require 'eco'
local websocket = require 'eco.websocket'

eco.run(function()
    local ws, err = websocket.connect(arg[1], { permessage_deflate = { level = 6 }, max_payload_len = 1 << 24 })
    assert(ws, err)
    local big = string.rep('eco compresses this line; ', 40000) -- ~1 MB
    for _, msg in ipairs({ 'tiny', big }) do
        local n, serr = ws:send_text(msg)
        assert(n, serr)
        if #msg > 1000 then
            assert(n < #msg // 20, 'sent ' .. n .. ' bytes for ' .. #msg .. ': not compressed')
        end
        local data, typ, e = ws:recv_frame(10)
        assert(data == msg, 'echo differs: ' .. tostring(data and #data) .. ' ' .. tostring(e))
        assert(typ == 'text' and e == nil, tostring(typ) .. ' ' .. tostring(e))
    end
    assert(ws:send_close(1000))
    local data, typ, code = ws:recv_frame(5)
    assert(typ == 'close' and code == 1000, tostring(typ) .. ' ' .. tostring(code))
    print('deflate client ok')
    os.exit(0)
end)
eco.loop()
