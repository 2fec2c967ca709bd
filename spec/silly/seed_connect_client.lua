local silly = require "silly"
local task = require "silly.task"
local websocket = require "silly.net.websocket"

task.fork(function()
    local sock, err = websocket.connect("ws://127.0.0.1:8080")
    if not sock then
        print("Connect failed:", err)
        return
    end

    print("Connected to WebSocket server")

    -- Send message
    sock:write("Hello, Server!", "text")

    -- Read response
    local data, typ = sock:read()
    if data then
        print("Received:", data)
    end

    sock:close()
end)
