local websocket = require 'eco.websocket'
local eco = require 'eco'

eco.run(function()
    local ws, err = websocket.connect('ws://127.0.0.1:8080/ws')
    assert(ws, err)
    ws:send_text('hello')
end)

eco.loop()
